/*
 * The container's init answers the memfd_create and listen calls the
 * seccomp program hands it (supervise_linux.c says why and how).
 */
#ifndef SBOX_BACKEND_SUPERVISE_LINUX_H
#define SBOX_BACKEND_SUPERVISE_LINUX_H

/* The program sends its seccomp listener to init over a socket pair. */
int lx_supervise_send_fd(int sock, int fd);
/* init receives it (non-blocking: the program has exec'd by then). */
int lx_supervise_recv_fd(int sock);

/* Answer one pending notification on the listener nfd. unsealed_ok: the
 * kernel has no MFD_NOEXEC_SEAL and --allow-weaker accepted that. */
void lx_supervise_answer(int nfd, int unsealed_ok);

/* Do this kernel's notification structures fit our buffers? */
int lx_supervise_sizes_fit(void);

#endif
