/* Minimal JSON output helpers for the tools' --json modes. */
#ifndef COATI_TOOLS_JSON_H
#define COATI_TOOLS_JSON_H

#include <stdio.h>

/* Write s as a JSON string literal, escaping quotes, backslashes and controls. */
void json_string(FILE *f, const char *s);
/* Write "key": (with a leading comma unless first). */
void json_key(FILE *f, const char *key, int *first);

#endif
