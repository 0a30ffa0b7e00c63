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

/* Macros that do not import. */
static inline curl_version_info_data *tidings_version_info(void) { return curl_version_info(CURLVERSION_NOW); }

#endif
