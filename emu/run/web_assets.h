/* SPDX-License-Identifier: MIT */
/* web_assets.h - the web view's files, embedded in the binary at build time */
#ifndef EMU_WEB_ASSETS_H
#define EMU_WEB_ASSETS_H

#include <stddef.h>

/*
 * The page (emu/web/) and the libraries it uses (d3-geo, topojson-client,
 * world-atlas, pinned by emu/web/package-lock.json), made into a C source
 * by scripts/embed.sh when lasermesh is built.
 */
struct web_asset {
	const char *path;		/* "/index.html" */
	const char *type;		/* its Content-Type */
	const unsigned char *data;
	size_t len;
};

extern const struct web_asset web_assets[];
extern const size_t web_nassets;

#endif
