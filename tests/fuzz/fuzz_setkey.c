/*
 * libFuzzer harness for the setkey language: the parser is pure, so bytes
 * go straight in; accepted scripts are also encoded as an admin batch.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tools/setkey_msg.h"
#include "tools/setkey_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 16];
	struct setkey_script s = {0};
	struct setkey_diag d;
	struct wr w;

	if (setkey_parse((const char *)data, size, &s, &d) == 0) {
		w = wr_init(buf, sizeof(buf));
		setkey_batch_encode(&w, s.cmds, s.n);
		if (s.n && !d.failed && w.len == 0)
			abort();
	} else if (s.n != 0 || s.cmds != NULL) {
		abort(); /* a failed parse must return nothing */
	}
	setkey_script_free(&s);
	return 0;
}
