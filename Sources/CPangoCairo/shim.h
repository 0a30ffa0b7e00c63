#ifndef TIDINGS_CPANGOCAIRO_SHIM_H
#define TIDINGS_CPANGOCAIRO_SHIM_H
#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

/* Cast macros do not import into Swift. */
static const PangoGlyph tidings_glyph_unknown_flag = PANGO_GLYPH_UNKNOWN_FLAG;

#endif
