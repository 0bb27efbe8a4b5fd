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

/* The same for a notification already received (--trace: the launcher
 * receives them all, trace_linux.c), and which calls these are. */
struct seccomp_notif;
void lx_supervise_answer_notif(int nfd, const struct seccomp_notif *n,
			       int unsealed_ok);
int lx_supervise_handles(int nr);
/* The size of buffer a received notification needs. */
#define LX_SUPERVISE_NOTIF_BUF 512

/* Do this kernel's notification structures fit our buffers? */
int lx_supervise_sizes_fit(void);

#endif
