#ifndef SBOX_VERSION_H
#define SBOX_VERSION_H

#define SBOX_VERSION "0.1.0"

#endif
