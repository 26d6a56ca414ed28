/*
 * Settings and package properties (props.h).
 */
#include <stdio.h>

#include "props.h"
#include "xml.h"

int
props_write_settings(FILE *f, const char **errstr)
{
	struct xml	*x;

	if ((x = xml_new(f)) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	xml_declaration(x);
	xml_start(x, "w:settings", "xmlns:w",
	    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
	    (char *)NULL);
	xml_empty(x, "w:zoom", "w:percent", "100", (char *)NULL);
	xml_empty(x, "w:defaultTabStop", "w:val", "720", (char *)NULL);
	xml_empty(x, "w:characterSpacingControl", "w:val", "doNotCompress",
	    (char *)NULL);
	/* Word 2013 and later lay it out in their own mode, without
	 * asking to convert. */
	xml_start(x, "w:compat", (char *)NULL);
	xml_empty(x, "w:compatSetting", "w:name", "compatibilityMode",
	    "w:uri", "http://schemas.microsoft.com/office/word", "w:val", "15",
	    (char *)NULL);
	xml_end(x);
	xml_empty(x, "w:themeFontLang", "w:val", "vi-VN", (char *)NULL);
	xml_empty(x, "w:decimalSymbol", "w:val", ",", (char *)NULL);
	xml_empty(x, "w:listSeparator", "w:val", ";", (char *)NULL);
	xml_end(x);
	return xml_finish(x, errstr);
}

int
props_write_core(FILE *f, const char *title, const char *creator,
    const char *created, const char **errstr)
{
	struct xml	*x;
	char		 when[32];

	if ((x = xml_new(f)) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	xml_declaration(x);
	xml_start(x, "cp:coreProperties", "xmlns:cp",
	    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
	    "xmlns:dc", "http://purl.org/dc/elements/1.1/", "xmlns:dcterms",
	    "http://purl.org/dc/terms/", "xmlns:xsi",
	    "http://www.w3.org/2001/XMLSchema-instance", (char *)NULL);
	xml_start(x, "dc:title", (char *)NULL);
	xml_text(x, title);
	xml_end(x);
	xml_start(x, "dc:creator", (char *)NULL);
	xml_text(x, creator);
	xml_end(x);
	xml_start(x, "dc:language", (char *)NULL);
	xml_text(x, "vi-VN");
	xml_end(x);
	if (created != NULL) {
		snprintf(when, sizeof(when), "%sT00:00:00Z", created);
		xml_start(x, "dcterms:created", "xsi:type", "dcterms:W3CDTF",
		    (char *)NULL);
		xml_text(x, when);
		xml_end(x);
	}
	xml_end(x);
	return xml_finish(x, errstr);
}

int
props_write_app(FILE *f, const char **errstr)
{
	struct xml	*x;

	if ((x = xml_new(f)) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	xml_declaration(x);
	xml_start(x, "Properties", "xmlns",
	    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
	    (char *)NULL);
	xml_start(x, "Application", (char *)NULL);
	xml_text(x, "gp-report");
	xml_end(x);
	xml_end(x);
	return xml_finish(x, errstr);
}
