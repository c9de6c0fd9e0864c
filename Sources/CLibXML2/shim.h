#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
/* Debian builds libxml2 with ICU, so <libxml/encoding.h> includes ICU's headers, which clash with
   Foundation's own copy of ICU in any Swift module that sees both ("'UErrorCode' has different
   definitions"). Närvaro never touches the ICU-only trailing fields of xmlCharEncodingHandler (it
   neither allocates nor reads that struct), so hiding ICU from these headers changes nothing we use. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

/* xmlFree is a global variable (a function pointer); Swift 6 refuses to touch it. */
static inline void narvaro_xml_free(void *p) { xmlFree(p); }

/* The generic error callback is variadic, which Swift cannot implement: install a no-op from C.
   libxml2 2.9.14 prints some messages on this channel even with XML_PARSE_NOERROR. */
static void narvaro_swallow_generic_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void narvaro_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, narvaro_swallow_generic_error);
}

/* Chains the schema validator in front of the parser context's own SAX handlers. The plug keeps
   the addresses of ctxt->sax and ctxt->userData and restores both in xmlSchemaSAXUnplug, so they
   must be the real fields (Swift may pass a temporary copy for `&ctxt.pointee.sax`). */
static inline xmlSchemaSAXPlugPtr narvaro_schema_sax_plug(xmlSchemaValidCtxtPtr vctxt, xmlParserCtxtPtr ctxt) {
    return xmlSchemaSAXPlug(vctxt, &ctxt->sax, &ctxt->userData);
}
#endif
