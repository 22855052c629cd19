/* libFuzzer harness for the psk.txt parser. */
#include <stddef.h>
#include <stdint.h>

#include "config/psk.h"
#include "lib/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct psk_db *db;
	const uint8_t *key;
	size_t len;

	if (!quiet) {
		log_init("fuzz_psk", false, LOG_LVL_ERR);
		quiet = 1;
	}
	if (psk_parse_buf("fuzz.txt", (const char *)data, size, &db) == 0) {
		psk_find(db, "10.0.0.1", &key, &len);
		psk_free(db);
	}
	return 0;
}
