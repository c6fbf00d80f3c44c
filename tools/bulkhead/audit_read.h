/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead CLI: the audit commands that read the trail: tail, report and record.
 */
#ifndef BULKHEAD_AUDIT_READ_H
#define BULKHEAD_AUDIT_READ_H

#include <stdint.h>

int cli_audit_tail(int argc, char **argv);
int cli_audit_report(int argc, char **argv);
int cli_audit_record(int argc, char **argv);

#endif /* BULKHEAD_AUDIT_READ_H */
