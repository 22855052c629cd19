/* libFuzzer harness for the racoon.conf parser; include is disabled so no file is read. */
#include <stddef.h>
#include <stdint.h>

#include "config/conf.h"
#include "lib/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct cfg_error err;
	struct cfg *c;

	if (!quiet) {
		log_init("fuzz_config", false, LOG_LVL_ERR);
		quiet = 1;
	}
	if (cfg_parse_buf("fuzz.conf", (const char *)data, size, CFG_F_NO_INCLUDE, &c, &err) == 0)
		cfg_free(c);
	return 0;
}
