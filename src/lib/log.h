/* Logging: stderr in the foreground, syslog otherwise, an optional file. */
#ifndef COATI_LIB_LOG_H
#define COATI_LIB_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum log_level {
	LOG_LVL_ERR = 0,
	LOG_LVL_WARN,
	LOG_LVL_NOTICE,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
	LOG_LVL_DEBUG2,
};

/* Start logging as ident; foreground logs to stderr, else syslog. */
void log_init(const char *ident, bool foreground, enum log_level level);
/* Also (or instead, when not in the foreground) append to path. Returns 0 or -errno. */
int log_open_file(const char *path);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
bool log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_vmsg(enum log_level level, const char *func, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Log and exit(1): only during start-up. */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define log_err(...) log_msg(LOG_LVL_ERR, NULL, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, NULL, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_LVL_NOTICE, NULL, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, NULL, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, NULL, __VA_ARGS__)
/* _f variants prefix the function name (OpenSSH debug_f). */
#define log_err_f(...) log_msg(LOG_LVL_ERR, __func__, __VA_ARGS__)
#define log_warn_f(...) log_msg(LOG_LVL_WARN, __func__, __VA_ARGS__)
#define log_info_f(...) log_msg(LOG_LVL_INFO, __func__, __VA_ARGS__)
#define log_debug_f(...) log_msg(LOG_LVL_DEBUG, __func__, __VA_ARGS__)
#define log_debug2_f(...) log_msg(LOG_LVL_DEBUG2, __func__, __VA_ARGS__)

#endif
