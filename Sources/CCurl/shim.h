#ifndef TIDINGS_CCURL_SHIM_H
#define TIDINGS_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt are variadic and do
   not import into Swift: one typed wrapper per argument kind. */
static inline CURLcode tidings_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tidings_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tidings_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tidings_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tidings_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tidings_easy_setopt_mime(CURL *h, CURLoption o, curl_mime *v) { return curl_easy_setopt(h, o, v); }

typedef size_t (*tidings_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode tidings_easy_setopt_data_callback(CURL *h, CURLoption o, tidings_data_callback v) { return curl_easy_setopt(h, o, v); }

static inline CURLcode tidings_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode tidings_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode tidings_easy_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode tidings_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode tidings_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

/* CURLMsg carries a union: accessors keep Swift away from it. */
static inline CURLMSG tidings_msg_kind(const CURLMsg *m) { return m->msg; }
static inline CURL *tidings_msg_easy(const CURLMsg *m) { return m->easy_handle; }
static inline CURLcode tidings_msg_result(const CURLMsg *m) { return m->data.result; }

/* Driving a multi handle by socket events (curl_multi_socket_action) instead
   of curl_multi_perform: perform visits every transfer and polls its socket on
   each call, which with dozens in flight costs more than the transfers. The
   callbacks and epoll's packed struct stay on this side; Swift calls
   tidings_loop_init once and tidings_loop_run_once in its loop. */
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct tidings_loop {
    int epfd;
    int wakefd;
    /* Monotonic milliseconds when curl wants a timeout action; -1: none. */
    long long deadline_ms;
};

static inline long long tidings_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int tidings_loop_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp) {
    (void)easy; (void)socketp;
    struct tidings_loop *loop = (struct tidings_loop *)userp;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(loop->epfd, EPOLL_CTL_DEL, s, NULL);
        return 0;
    }
    struct epoll_event ev = {0};
    ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    ev.data.fd = s;
    if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT) epoll_ctl(loop->epfd, EPOLL_CTL_ADD, s, &ev);
    return 0;
}

static int tidings_loop_timer_cb(CURLM *multi, long timeout_ms, void *userp) {
    (void)multi;
    struct tidings_loop *loop = (struct tidings_loop *)userp;
    loop->deadline_ms = timeout_ms < 0 ? -1 : tidings_now_ms() + timeout_ms;
    return 0;
}

/* 0 on success. `loop` must stay at the same address for the multi's life. */
static inline int tidings_loop_init(CURLM *multi, struct tidings_loop *loop) {
    loop->deadline_ms = -1;
    loop->epfd = epoll_create1(EPOLL_CLOEXEC);
    loop->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (loop->epfd < 0 || loop->wakefd < 0) return -1;
    struct epoll_event ev = {0};
    ev.events = EPOLLIN;
    ev.data.fd = loop->wakefd;
    if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->wakefd, &ev) != 0) return -1;
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, tidings_loop_socket_cb);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, loop);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, tidings_loop_timer_cb);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, loop);
    return 0;
}

static inline void tidings_loop_close(struct tidings_loop *loop) {
    if (loop->epfd >= 0) close(loop->epfd);
    if (loop->wakefd >= 0) close(loop->wakefd);
}

/* Thread-safe: interrupts a tidings_loop_run_once waiting on another thread. */
static inline void tidings_loop_wakeup(struct tidings_loop *loop) {
    uint64_t one = 1;
    ssize_t written = write(loop->wakefd, &one, sizeof one);
    (void)written;
}

/* Waits up to max_wait_ms (less if curl's timer is due sooner) for socket
   activity or a wakeup, and lets curl act on what happened. */
static inline void tidings_loop_run_once(CURLM *multi, struct tidings_loop *loop, int max_wait_ms) {
    int wait = max_wait_ms;
    if (loop->deadline_ms >= 0) {
        long long left = loop->deadline_ms - tidings_now_ms();
        if (left < wait) wait = left < 0 ? 0 : (int)left;
    }
    struct epoll_event events[128];
    int ready = epoll_wait(loop->epfd, events, 128, wait);
    int running = 0;
    for (int i = 0; i < ready; i++) {
        int fd = events[i].data.fd;
        if (fd == loop->wakefd) {
            uint64_t count;
            ssize_t got = read(loop->wakefd, &count, sizeof count);
            (void)got;
            continue;
        }
        int mask = ((events[i].events & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((events[i].events & EPOLLOUT) ? CURL_CSELECT_OUT : 0)
            | ((events[i].events & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
        curl_multi_socket_action(multi, fd, mask, &running);
    }
    if (loop->deadline_ms >= 0 && tidings_now_ms() >= loop->deadline_ms) {
        loop->deadline_ms = -1;
        curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
}

/* Macros that do not import. */
static inline curl_version_info_data *tidings_version_info(void) { return curl_version_info(CURLVERSION_NOW); }

#endif
