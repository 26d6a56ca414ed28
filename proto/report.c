/*
 * The report model: label tables, ownership, error lists, canonical bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "report.h"
#include "text.h"
#include "wire.h"

const struct report_label report_areas[AREA_COUNT] = {
	{ NULL, NULL },
	{ "policy_dissemination",
	    "Tuyên truyền chủ trương, chính sách (NQ 11-NQ/TW, CT 21/CT-TW)" },
	{ "strategy_implementation",
	    "Phối hợp thực hiện Chiến lược quốc gia về BĐG và các chương trình" },
	{ "communication_training",
	    "Truyền thông, tọa đàm, nói chuyện chuyên đề, tập huấn về BĐG, "
	    "phòng chống BLG" },
	{ "gender_law_review", "Tổng kết 15 năm thi hành Luật Bình đẳng giới" },
	{ "female_cadres", "Quy hoạch, đào tạo, bồi dưỡng cán bộ nữ" },
	{ "inspection", "Kiểm tra, giám sát" },
};

const struct report_label report_kinds[KIND_COUNT] = {
	{ NULL, NULL },
	{ "propaganda", "Buổi tuyên truyền" },
	{ "conference", "Hội nghị" },
	{ "seminar", "Hội thảo" },
	{ "forum", "Tọa đàm, diễn đàn" },
	{ "exchange", "Giao lưu, trao đổi kinh nghiệm" },
	{ "talk", "Nói chuyện chuyên đề" },
	{ "training", "Tập huấn, bồi dưỡng" },
	{ "contest", "Hội thi" },
	{ "cultural", "Văn nghệ, thể thao" },
	{ "media", "Tin, bài, pano, tờ rơi" },
	{ "review", "Sơ kết, tổng kết" },
	{ "inspection", "Kiểm tra, giám sát" },
	{ "support", "Thăm hỏi, hỗ trợ" },
	{ "other", "Khác" },
};

const struct report_label report_occasions[OCCASION_COUNT] = {
	{ NULL, NULL },
	{ "none", "Thường xuyên" },
	{ "womens_day", "Quốc tế Phụ nữ 8/3" },
	{ "family_day", "Ngày Gia đình Việt Nam 28/6" },
	{ "vn_womens_day", "Ngày Phụ nữ Việt Nam 20/10" },
	{ "action_month", "Tháng hành động vì bình đẳng giới 15/11–15/12" },
};

const struct report_label report_statuses[STATUS_COUNT] = {
	{ NULL, NULL },
	{ "done", "Đã thực hiện" },
	{ "planned", "Ước thực hiện" },
};

const struct report_label report_indicators[IND_COUNT] = {
	{ NULL, NULL },
	{ "members", "Đoàn viên" },
	{ "exec_committee", "Ủy viên BCH" },
	{ "cadres_in_planning", "Cán bộ nữ được quy hoạch" },
	{ "cadres_trained", "Cán bộ được đào tạo, bồi dưỡng" },
	{ "cadres_appointed", "Cán bộ được bổ nhiệm" },
	{ "gvndn_registered", "\"Giỏi việc nước, đảm việc nhà\" đăng ký" },
	{ "gvndn_achieved", "\"Giỏi việc nước, đảm việc nhà\" đạt" },
	{ "gbv_cases_detected",
	    "Vụ việc bạo lực gia đình, quấy rối phát hiện" },
	{ "gbv_cases_handled", "Vụ việc bạo lực gia đình, quấy rối giải quyết" },
	{ "inspections", "Cuộc kiểm tra, giám sát" },
};

const struct report_label report_texts[TEXT_COUNT] = {
	{ "results", "Kết quả" },
	{ "advantages", "Thuận lợi" },
	{ "difficulties", "Khó khăn" },
	{ "obstacles", "Vướng mắc" },
	{ "proposals", "Đề xuất, kiến nghị" },
	{ "next_tasks", "Phương hướng kỳ tới" },
};

struct report *
report_new(void)
{
	return calloc(1, sizeof(struct report));
}

void
report_free(struct report *r)
{
	size_t	i;

	if (r == NULL)
		return;
	free(r->id);
	free(r->unit);
	free(r->period);
	free(r->reporter_name);
	free(r->reporter_position);
	free(r->reporter_phone);
	for (i = 0; i < r->nactivities; i++) {
		free(r->activities[i].date);
		free(r->activities[i].end_date);
		free(r->activities[i].title);
		free(r->activities[i].location);
		free(r->activities[i].notes);
	}
	free(r->activities);
	free(r->indicators);
	for (i = 0; i < TEXT_COUNT; i++)
		free(r->narrative[i]);
	for (i = 0; i < LAW_REVIEW_COUNT; i++)
		free(r->law_review[i]);
	free(r);
}

void
report_errors_add(struct report_errors *errs, const char *field,
    const char *fmt, ...)
{
	struct report_error	*e;
	va_list			 ap;

	if (errs->n >= REPORT_ERRORS_MAX) {
		errs->dropped++;
		return;
	}
	e = &errs->e[errs->n++];
	snprintf(e->field, sizeof(e->field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

void
report_errors_clear(struct report_errors *errs)
{
	errs->n = 0;
	errs->dropped = 0;
}

uint32_t
report_label_find(const struct report_label *tab, size_t n, const char *id)
{
	size_t	i;

	if (id == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (tab[i].id != NULL && strcmp(tab[i].id, id) == 0)
			return i;
	return 0;
}

const char *
report_label_id(const struct report_label *tab, size_t n, uint32_t v)
{
	if (v >= n || tab[v].id == NULL)
		return "?";
	return tab[v].id;
}

const char *
report_label_text(const struct report_label *tab, size_t n, uint32_t v)
{
	if (v >= n || tab[v].label == NULL)
		return "?";
	return tab[v].label;
}

int
report_pack(const struct report *r, uint8_t **buf, size_t *len)
{
	Gp__Report	*pb;
	size_t		 n;

	*buf = NULL;
	if ((pb = wire_report_new(r)) == NULL)
		return -1;
	n = gp__report__get_packed_size(pb);
	/* One spare byte so an empty report still gets a real allocation. */
	if ((*buf = malloc(n + 1)) == NULL) {
		wire_report_free(pb);
		return -1;
	}
	*len = gp__report__pack(pb, *buf);
	wire_report_free(pb);
	return 0;
}

int
report_unpack(const uint8_t *buf, size_t len, struct report **out,
    struct report_errors *errs, const char **errstr)
{
	Gp__Report	*pb;
	int		 rv;

	*out = NULL;
	if ((pb = wire_report_unpack(buf, len)) == NULL) {
		*errstr = "not a report message";
		return -1;
	}
	rv = wire_report_stored(pb, out, errs);
	wire_report_free_unpacked(pb);
	if (rv == -1)
		*errstr = "report has invalid fields";
	return rv;
}

int
report_digest(const uint8_t *buf, size_t len, uint8_t out[32])
{
	unsigned int	n = 32;

	return EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) == 1 ?
	    0 : -1;
}

int
report_hash(const struct report *r, uint8_t out[32])
{
	uint8_t	*buf;
	size_t	 len;
	int	 rv;

	if (report_pack(r, &buf, &len) == -1)
		return -1;
	rv = report_digest(buf, len, out);
	free(buf);
	return rv;
}

/* *s in NFC, when it is text. Returns 0, or -1 when out of memory. */
static int
report_nfc(char **s)
{
	char	*n;

	if (*s == NULL)
		return 0;
	if ((n = text_nfc(*s, strlen(*s), NULL)) == NULL)
		return -1;
	free(*s);
	*s = n;
	return 0;
}

int
report_normalize(struct report *r)
{
	struct report_activity	*a;
	size_t			 i;
	int			 rv = 0;

	rv |= report_nfc(&r->id);
	rv |= report_nfc(&r->unit);
	rv |= report_nfc(&r->period);
	rv |= report_nfc(&r->reporter_name);
	rv |= report_nfc(&r->reporter_position);
	rv |= report_nfc(&r->reporter_phone);
	for (i = 0; i < r->nactivities; i++) {
		a = &r->activities[i];
		rv |= report_nfc(&a->date);
		rv |= report_nfc(&a->end_date);
		rv |= report_nfc(&a->title);
		rv |= report_nfc(&a->location);
		rv |= report_nfc(&a->notes);
	}
	for (i = 0; i < TEXT_COUNT; i++)
		rv |= report_nfc(&r->narrative[i]);
	for (i = 0; i < LAW_REVIEW_COUNT; i++)
		rv |= report_nfc(&r->law_review[i]);
	return rv != 0 ? -1 : 0;
}

int
report_derive_id(struct report *r)
{
	uint8_t	 h[32];
	char	*saved, *id;
	int	 rv;

	saved = r->id;
	r->id = NULL;
	rv = report_hash(r, h);
	r->id = saved;
	if (rv == -1)
		return -1;
	h[6] = (h[6] & 0x0f) | 0x80;	/* version 8: custom */
	h[8] = (h[8] & 0x3f) | 0x80;	/* RFC 9562 variant */
	if ((id = malloc(REPORT_MAX_ID + 1)) == NULL)
		return -1;
	snprintf(id, REPORT_MAX_ID + 1,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9],
	    h[10], h[11], h[12], h[13], h[14], h[15]);
	free(r->id);
	r->id = id;
	return 0;
}

void
report_hex(const uint8_t *buf, size_t len, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[buf[i] >> 4];
		out[2 * i + 1] = digits[buf[i] & 0x0f];
	}
	out[2 * len] = '\0';
}
