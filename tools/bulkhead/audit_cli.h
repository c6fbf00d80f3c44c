/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead CLI: the "audit" commands.
 */
#ifndef BULKHEAD_AUDIT_CLI_H
#define BULKHEAD_AUDIT_CLI_H

/*
 * "audit verify --key HEX|--key-file FILE [--last SEQ] [-j] FILE...", with argv[0] "verify":
 * check the trail held by FILE... in order. Exits 0 verified, 1 tampered, 2 unverifiable or
 * usage error.
 */
int cli_audit_verify(int argc, char **argv);

#endif /* BULKHEAD_AUDIT_CLI_H */
