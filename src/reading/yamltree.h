/*
 * yamltree.h - a YAML document as a small tree (the only libyaml user).
 *
 * Used by the front-matter reader and the profile reader. Only what they need:
 * scalars, sequences and mappings with string keys; anchors and aliases are
 * refused, tags are ignored. Every node keeps its 1-based line and column.
 */
#ifndef VB_YAMLTREE_H
#define VB_YAMLTREE_H

#include "base.h"
#include "model.h"

typedef enum vb_ykind {
    VB_Y_SCALAR = 1,
    VB_Y_SEQ,
    VB_Y_MAP
} vb_ykind_t;

typedef struct vb_ynode vb_ynode_t;
struct vb_ynode {
    vb_ykind_t kind;
    const char *str;      /* scalars: NUL-terminated value */
    size_t len;
    bool plain;           /* scalars: written without quotes (so "~"/"null" mean empty) */
    vb_ynode_t **items;   /* sequences: items; mappings: values */
    const char **keys;    /* mappings: keys (NUL-terminated) */
    vb_pos_t *key_pos;    /* mappings: where each key is */
    int n;
    vb_pos_t pos;
};

/*
 * Parses buf[0..len) as one YAML document into a tree in arena. line0 is
 * added to every line number (for a front matter that starts after line 1).
 * Errors carry source, line and column.
 */
vb_status_t vb_yaml_parse(vb_arena_t *arena, const char *buf, size_t len, const char *source, int line0,
                          vb_ynode_t **root, vb_diag_t *d);

/*
 * The leading keys of a document whose root is a mapping, read without
 * building the tree: libyaml's events are read only up to the first
 * top-level key that is not one of keys[0..nkeys) (or the end of the
 * mapping), and the input is handed to libyaml in small pieces, so a long
 * file costs little more than its first lines. For each of keys, value[i]
 * gets its text (NUL-terminated; empty when longer than VB_YHEAD_MAX - 1
 * bytes) and pos[i] where the key is, line 0 when the key did not come
 * before that point or its value is null (~, or nothing), as if absent. *stop is
 * where the first other key is (line 0 at the end of the mapping), *stop_key
 * its name (cut to VB_YHEAD_MAX - 1 bytes).
 *
 * Not an error-reporting reader: anything it cannot read as plain leading
 * keys (a YAML error before the stop, a root that is not a mapping, one of
 * keys twice, or with a value that is not a single value) returns false,
 * and the caller reads the whole document with vb_yaml_parse for the error
 * at its position. Returns false also when memory runs out (*nomem set).
 */
#define VB_YHEAD_MAX 64
bool vb_yaml_head(const char *buf, size_t len, const char *const *keys, int nkeys, char (*value)[VB_YHEAD_MAX],
                  vb_pos_t *pos, vb_pos_t *stop, char *stop_key, bool *nomem);

/* The value of key in a mapping, NULL when absent or when map is not a mapping. */
const vb_ynode_t *vb_ymap_get(const vb_ynode_t *map, const char *key);

#endif
