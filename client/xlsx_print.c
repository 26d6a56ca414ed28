/*
 * Print setup of an xlsx export's sheets (xlsx_print.h).
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "text.h"
#include "xlsx.h"
#include "xlsx_print.h"

#define XLSX_PRINT_PAPER_A4	9	/* Excel's paper code */

char *
xlsx_print_text(const char *s, char *out, size_t len)
{
	struct text_char	 c;
	size_t			 n = 0, max, need;
	int			 ok;

	max = len - 1 < XLSX_PRINT_TEXT_MAX ? len - 1 : XLSX_PRINT_TEXT_MAX;
	for (; s != NULL && *s != '\0'; s += c.len) {
		text_next(s, &c);
		ok = c.valid && c.kind == TEXT_VISIBLE && *s != '\t';
		need = !ok ? 1 : *s == '&' ? 2 : c.len;
		if (n + need > max)
			break;
		if (!ok)
			out[n++] = '?';
		else if (*s == '&') {
			out[n++] = '&';
			out[n++] = '&';
		} else {
			memcpy(out + n, s, c.len);
			n += c.len;
		}
	}
	out[n] = '\0';
	return out;
}

int
xlsx_print(const struct xlsx *xl, lxw_worksheet *ws,
    const struct xlsx_page *p)
{
	char	title[XLSX_PRINT_TEXT_MAX + 1], who[XLSX_PRINT_TEXT_MAX + 1];
	char	made[XLSX_PRINT_TEXT_MAX + 1];
	char	header[LXW_HEADER_FOOTER_MAX + 1];
	char	footer[LXW_HEADER_FOOTER_MAX + 1];

	xl->worksheet_set_paper(ws, XLSX_PRINT_PAPER_A4);
	/* Narrow sides, room above and below for the header and footer
	 * (inches, as Excel counts them). */
	xl->worksheet_set_margins(ws, 0.4, 0.4, 0.75, 0.75);
	if (p->landscape)
		xl->worksheet_set_landscape(ws);
	/* As wide as a page, as many pages down as it takes. */
	xl->worksheet_fit_to_pages(ws, 1, 0);
	if (p->repeat_heading)
		xl->worksheet_repeat_rows(ws, 0, 0);
	if (p->gridlines)
		xl->worksheet_gridlines(ws, LXW_SHOW_ALL_GRIDLINES);
	xlsx_print_text(p->title, title, sizeof(title));
	xlsx_print_text(p->who, who, sizeof(who));
	xlsx_print_text(p->made, made, sizeof(made));
	/* &B bold on and off; &P the page, &N the pages, &A the sheet. */
	snprintf(header, sizeof(header), "&L&B%s&B&R%s", title, who);
	snprintf(footer, sizeof(footer), U_("&L%s&CTrang &P/&N&R&A"), made);
	if (xl->worksheet_set_header(ws, header) != LXW_NO_ERROR ||
	    xl->worksheet_set_footer(ws, footer) != LXW_NO_ERROR)
		return -1;
	return 0;
}
