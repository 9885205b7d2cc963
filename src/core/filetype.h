/*
 * filetype.h - what a file really is, from its first bytes (not its name).
 */
#ifndef QMS_FILETYPE_H
#define QMS_FILETYPE_H

#include <stdbool.h>
#include <stddef.h>

/* "application/pdf", "image/jpeg", "image/png", or NULL when none of them. */
const char *filetype_sniff(const void *data, size_t len);
/* Documents for notices: PDF, Word or Excel (.doc/.xls as OLE compound files,
 * .docx/.xlsx as ZIP packages holding word/ or xl/). Returns the content type
 * to store, or NULL. */
const char *filetype_sniff_document(const void *data, size_t len, const char *filename);
/* Same type, ignoring parameters and case ("image/JPEG; x=y" == "image/jpeg"). */
bool filetype_same(const char *declared, const char *sniffed);
/* A safe file name to store: no path, no control characters, at most 100 characters. */
void filename_clean(const char *in, char *out, size_t outsz);

#endif
