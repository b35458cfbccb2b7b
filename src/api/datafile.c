/*
 * datafile.c - the public data handle (vb_data_t, include/vanban.h): a data
 * file read through base.c's vb_file_read, or a buffer, into a data set
 * (src/merge/data.h), its rows counted, its dump.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "data.h"

vb_status_t
vb_data_read_buffer(const char *buf, size_t len, const char *name, vb_data_t **out, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!out || (!buf && len))
        return vb_diag_set(d, VB_E_USAGE, "usage", name, 0, 0, "Missing data or a place for the result.");
    *out = NULL;
    vb_data_t *h = calloc(1, sizeof *h);
    if (!h)
        return vb_diag_nomem(d);
    vb_status_t rc = vb_data_set_read(buf ? buf : "", len, name, VB_DATA_AUTO, &h->set, d);
    if (rc != VB_OK) {
        free(h);
        return rc;
    }
    *out = h;
    return VB_OK;
}

vb_status_t
vb_data_read_file(const char *path, vb_data_t **out, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!path || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", path, 0, 0, "Missing data file path or a place for the result.");
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    vb_file_result_t fr;
    if (!vb_file_read(NULL, path, VB_DATA_MAX_BYTES, &buf, &len, &fr)) {
        if (fr.status == VB_FILE_NOMEM)
            return vb_diag_nomem(d);
        if (fr.status == VB_FILE_TOO_LARGE)
            return vb_diag_set(d, VB_E_LIMIT, "data.too-large", path, 0, 0,
                               "The data file has %lld bytes, more than %lld (64 MiB); split it into several files.",
                               (long long)fr.size, (long long)VB_DATA_MAX_BYTES);
        return vb_diag_set(d, VB_E_IO, "io.read", path, 0, 0, "Cannot read the data file: %s.", vb_file_why(&fr));
    }
    vb_status_t rc = vb_data_read_buffer(buf, len, path, out, d);
    free(buf);
    return rc;
}

int
vb_data_row_count(const vb_data_t *data)
{
    return data && data->set ? data->set->nrows : 0;
}

void
vb_data_free(vb_data_t *data)
{
    if (!data)
        return;
    vb_data_set_free(data->set);
    free(data);
}

vb_status_t
vb_data_dump(const vb_data_t *data, char **out, size_t *out_len, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!data || !data->set || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing data or a place for the dump.");
    vb_buf_t b = {0};
    vb_data_set_dump(data->set, &b);
    *out = vb_buf_take(&b, out_len);
    return *out ? VB_OK : vb_diag_nomem(d);
}
