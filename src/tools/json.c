/* Minimal JSON output helpers. */
#include "tools/json.h"

void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void
json_key(FILE *f, const char *key, int *first)
{
	if (!*first)
		fputc(',', f);
	*first = 0;
	json_string(f, key);
	fputc(':', f);
}
