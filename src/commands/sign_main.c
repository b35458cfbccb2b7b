/*
 * sign_main.c - the program vanban-sign: `vanban sign`, `issue` and
 * `verify` (sign.c), which vanban runs in its place (main.c, run_signer) so
 * that a render never loads OpenSSL. argv[1] is the command.
 */
#include <stdio.h>

#include "commands.h"

int
main(int argc, char **argv)
{
    cli_messages(argc, argv); /* paths.c */
    if (argc < 2) {
        fprintf(stderr, "Usage: vanban sign | issue | verify ... (vanban sign --help)\n");
        return 2;
    }
    char lb[4200];
    return vb_cli_sign(argc - 1, argv + 1, find_layouts(NULL, lb, sizeof lb));
}
