#ifndef URLTRIAGE_CCURL_SHIM_H
#define URLTRIAGE_CCURL_SHIM_H
#include <curl/curl.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#endif

// curl_easy_setopt is variadic, which Swift cannot call; one typed wrapper
// per argument kind keeps each call site checked by the compiler.
static inline CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*ccurl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode ccurl_setopt_write_function(CURL *h, CURLoption o, ccurl_write_callback f) { return curl_easy_setopt(h, o, f); }
typedef int (*ccurl_sockopt_callback)(void *clientp, curl_socket_t fd, curlsocktype purpose);
static inline CURLcode ccurl_setopt_sockopt_function(CURL *h, ccurl_sockopt_callback f) { return curl_easy_setopt(h, CURLOPT_SOCKOPTFUNCTION, f); }
static inline CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode ccurl_multi_setopt_pointer(CURLM *m, CURLMoption o, void *v) { return curl_multi_setopt(m, o, v); }

// MARK: - Callbacks with their own types

// The socket a transfer is about to open: the address (after DNS and
// --connect-to) is handed over so the caller can refuse it.
typedef curl_socket_t (*ccurl_opensocket_callback)(void *clientp, curlsocktype purpose, struct curl_sockaddr *address);
static inline CURLcode ccurl_setopt_opensocket_function(CURL *h, ccurl_opensocket_callback f) { return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, f); }

typedef int (*ccurl_socket_callback)(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp);
static inline CURLMcode ccurl_multi_setopt_socket_function(CURLM *m, ccurl_socket_callback f) { return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, f); }
typedef int (*ccurl_timer_callback)(CURLM *multi, long timeout_ms, void *userp);
static inline CURLMcode ccurl_multi_setopt_timer_function(CURLM *m, ccurl_timer_callback f) { return curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, f); }

// Macros that Swift does not import, because they are casts.
static const curl_socket_t ccurl_socket_bad = CURL_SOCKET_BAD;
static const curl_socket_t ccurl_socket_timeout = CURL_SOCKET_TIMEOUT;
static const int ccurl_error_size = CURL_ERROR_SIZE;
static const CURLversion ccurl_version_now = CURLVERSION_NOW;

// MARK: - Addresses

// Copies the IP address curl is about to connect to into `out` (16 bytes):
// returns 4 for IPv4, 16 for IPv6, 0 for any other family. curl allocates a
// sockaddr_storage behind `addr`, so reading an IPv6 address past the
// declared `struct sockaddr` is within bounds.
static inline int ccurl_sockaddr_ip(const struct curl_sockaddr *a, unsigned char *out) {
    if (a->family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)&a->addr;
        memcpy(out, &in->sin_addr, 4);
        return 4;
    }
    if (a->family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a->addr;
        memcpy(out, &in6->sin6_addr, 16);
        return 16;
    }
    return 0;
}

// MARK: - epoll (Linux), for the socket-action event loop

#ifdef __linux__
// epoll_event is packed on x86_64, which Swift cannot lay out reliably; these
// helpers keep it on the C side.
static inline int ccurl_epoll_control(int epfd, int op, int fd, unsigned int events) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &ev);
}

// Waits for events and unpacks them into two plain arrays.
static inline int ccurl_epoll_wait(int epfd, int *fds, unsigned int *events, int max, int timeout_ms) {
    struct epoll_event list[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, list, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        fds[i] = list[i].data.fd;
        events[i] = list[i].events;
    }
    return n;
}

static inline int ccurl_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
static inline void ccurl_eventfd_signal(int fd) { eventfd_t one = 1; (void)eventfd_write(fd, one); }
static inline void ccurl_eventfd_drain(int fd) { eventfd_t value; (void)eventfd_read(fd, &value); }
#endif
#endif
