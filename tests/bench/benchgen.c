/*
 * Report generator of the benchmarks: Vietnamese text from phrase tables,
 * figures that pass validation, dates inside the period's coverage.
 */
#include <sys/random.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchgen.h"
#include "period.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const family[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ",
	"Lò", "Tòng", "Lường", "Giàng", "Sùng", "Vàng", "Điêu", "Hà", "Lý",
};
static const char *const middle[] = {
	"Thị", "Thị Thu", "Thị Hồng", "Thị Minh", "Văn", "Thị Thanh", "Thị Ngọc",
	"Thị Kim", "Thị Lan",
};
static const char *const given[] = {
	"Hương", "Lan", "Mai", "Hằng", "Thảo", "Nga", "Dung", "Phượng", "Hoa",
	"Xuân", "Duyên", "Yến", "Trang", "Nhung", "Hạnh", "Lụa", "Sính", "Pàng",
};
static const char *const positions[] = {
	"Phó Chủ tịch LĐLĐ huyện", "Trưởng ban Nữ công LĐLĐ",
	"Chủ tịch Công đoàn ngành", "Cán bộ Ban Nữ công",
	"Phó Chủ tịch Công đoàn Viên chức tỉnh",
};
static const char *const places[] = {
	"Tam Đường", "Phong Thổ", "Sìn Hồ", "Mường Tè", "Than Uyên", "Tân Uyên",
	"Nậm Nhùn", "Bình Lư", "Bản Bo", "Nà Tăm", "Khun Há", "Sơn Bình",
	"Hồ Thầu", "Giang Ma", "Bản Hon", "Thèn Sin", "Nùng Nàng", "Mường Kim",
};
static const char *const venues[] = {
	"Hội trường UBND xã", "Nhà văn hóa bản", "Hội trường LĐLĐ huyện",
	"Trường Tiểu học và THCS xã", "Trạm Y tế xã", "Hội trường Công ty",
	"Công đoàn cơ sở các trường học xã",
};
static const char *const topics[] = {
	"Luật Bình đẳng giới năm 2006",
	"Nghị quyết 11-NQ/TW về công tác phụ nữ",
	"Chỉ thị 21-CT/TW về công tác phụ nữ trong tình hình mới",
	"phòng, chống bạo lực gia đình và xâm hại trẻ em",
	"phòng, chống quấy rối tình dục tại nơi làm việc",
	"Chiến lược quốc gia về bình đẳng giới giai đoạn 2021–2030",
	"xây dựng gia đình no ấm, tiến bộ, hạnh phúc",
	"chăm sóc sức khỏe sinh sản cho nữ công nhân lao động",
	"phong trào \"Giỏi việc nước, đảm việc nhà\"",
	"nâng cao năng lực cán bộ nữ trong quy hoạch",
};
static const char *const audiences[] = {
	"cho nữ đoàn viên công đoàn cơ sở", "cho cán bộ công đoàn chủ chốt",
	"cho công nhân lao động khu vực doanh nghiệp",
	"cho giáo viên và nhân viên ngành giáo dục",
	"cho đoàn viên, người lao động các xã vùng cao",
	"cho Ban Nữ công công đoàn cơ sở",
};
static const char *const notes[] = {
	"Lồng ghép trong sinh hoạt chi bộ và sinh hoạt công đoàn định kỳ.",
	"Phối hợp với Hội Liên hiệp Phụ nữ huyện và Phòng Lao động – Thương "
	    "binh và Xã hội.",
	"Có phiên dịch tiếng Mông và tiếng Thái cho đồng bào dân tộc.",
	"Phát 500 tờ rơi, treo 12 băng rôn, khẩu hiệu.",
	"Kinh phí từ nguồn tài chính công đoàn cấp huyện.",
};
static const char *const sentences[] = {
	"Các cấp công đoàn đã bám sát chương trình công tác nữ công năm, "
	    "triển khai kịp thời các văn bản chỉ đạo của cấp trên.",
	"Công tác tuyên truyền được đổi mới về hình thức, chú trọng "
	    "truyền thông trên mạng xã hội và nhóm Zalo của công đoàn cơ sở.",
	"Nhận thức của đoàn viên, người lao động về bình đẳng giới và "
	    "phòng, chống bạo lực gia đình được nâng lên rõ rệt.",
	"Địa bàn rộng, giao thông đi lại khó khăn, nhất là vào mùa mưa "
	    "lũ ở các xã vùng cao biên giới.",
	"Đội ngũ cán bộ nữ công chủ yếu kiêm nhiệm, thường xuyên thay đổi, "
	    "kinh nghiệm còn hạn chế.",
	"Kinh phí dành cho hoạt động nữ công còn ít, chưa đáp ứng yêu cầu.",
	"Đề nghị LĐLĐ tỉnh tăng cường mở lớp tập huấn kỹ năng cho cán bộ "
	    "nữ công cơ sở.",
	"Tiếp tục thực hiện có hiệu quả Chỉ thị 21-CT/TW và phong trào thi "
	    "đua \"Giỏi việc nước, đảm việc nhà\" trong nữ CNVCLĐ.",
	"Phối hợp chặt chẽ với chính quyền đồng cấp trong việc giải quyết "
	    "các vụ việc bạo lực gia đình phát sinh.",
};

uint64_t
bench_rand(uint64_t *state)
{
	uint64_t	z;

	z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t
bench_seed(void)
{
	struct timespec	ts;
	uint64_t	s;

	if (getrandom(&s, sizeof(s), 0) == (ssize_t)sizeof(s))
		return s;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
	    (uint64_t)getpid();
}

void
bench_uuid(uint64_t *state, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	uint64_t		 a = bench_rand(state), b = bench_rand(state);
	uint8_t			 u[16];
	size_t			 i, o = 0;

	for (i = 0; i < 8; i++) {
		u[i] = (uint8_t)(a >> (8 * i));
		u[8 + i] = (uint8_t)(b >> (8 * i));
	}
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[u[i] >> 4];
		out[o++] = hex[u[i] & 15];
	}
	out[o] = '\0';
}

size_t
bench_nactivities(uint64_t seed)
{
	uint64_t	st = seed ^ 0x5bd1e995;

	return 10 + (size_t)(bench_rand(&st) % 21);
}

void
bench_unit(size_t i, char out[BENCH_UNIT_MAX])
{
	snprintf(out, BENCH_UNIT_MAX, BENCH_UNIT_FMT, i);
}

void
bench_unit_name(size_t i, char *out, size_t len)
{
	snprintf(out, len, "Công đoàn cơ sở %s số %zu",
	    places[i % NELEM(places)], i);
}

static const char *
pick(uint64_t *st, const char *const *v, size_t n)
{
	return v[bench_rand(st) % n];
}

#define PICK(st, v)	pick(st, v, NELEM(v))

static char *
dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
dupf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	return s;
}

static char *
date_dup(int32_t day)
{
	char	buf[DATE_LEN + 1];

	date_format(day, buf);
	return strdup(buf);
}

/* A day in [lo, hi] clipped to [from, to]. */
static int32_t
day_in(uint64_t *st, int32_t lo, int32_t hi, int32_t from, int32_t to)
{
	if (lo < from)
		lo = from;
	if (hi > to)
		hi = to;
	if (hi < lo)
		return from;
	return lo + (int32_t)(bench_rand(st) % (uint64_t)(hi - lo + 1));
}

/* The codes of the 2022 model, as reports of then had them: the 2022
 * form's, without the kinds it added (meeting) and without the media
 * kind, whose output counts these reports do not give. */
static const char *const bench_areas[] = {
	"policy_dissemination", "strategy_implementation",
	"communication_training", "gender_law_review", "female_cadres",
	"inspection"
};
static const struct {
	const char	*code, *label;
} bench_kinds[] = {
	{ "propaganda", "Buổi tuyên truyền" }, { "conference", "Hội nghị" },
	{ "seminar", "Hội thảo" }, { "forum", "Tọa đàm, diễn đàn" },
	{ "exchange", "Giao lưu, trao đổi kinh nghiệm" },
	{ "talk", "Nói chuyện chuyên đề" }, { "training", "Tập huấn, bồi dưỡng" },
	{ "contest", "Hội thi" }, { "cultural", "Văn nghệ, thể thao" },
	{ "review", "Sơ kết, tổng kết" }, { "inspection", "Kiểm tra, giám sát" },
	{ "support", "Thăm hỏi, hỗ trợ" }, { "other", "Khác" }
};
/* The indicators in the 2022 form's order; a women's figure only where
 * it gives a share. */
static const struct {
	const char	*code;
	int		 female;
} bench_indicators_2022[] = {
	{ "members", 1 }, { "exec_committee", 1 }, { "cadres_in_planning", 1 },
	{ "cadres_trained", 1 }, { "cadres_appointed", 1 },
	{ "gvndn_registered", 1 }, { "gvndn_achieved", 1 },
	{ "gbv_cases_detected", 0 }, { "gbv_cases_handled", 0 },
	{ "inspections", 0 }
};
#define BENCH_NINDICATORS	NELEM(bench_indicators_2022)
#define BENCH_GBV_DETECTED	7
#define BENCH_GBV_HANDLED	8
#define BENCH_GVNDN_REGISTERED	5
#define BENCH_GVNDN_ACHIEVED	6
static const char *const bench_texts[] = {
	"results", "advantages", "difficulties", "obstacles", "proposals",
	"next_tasks"
};
#define BENCH_LAW_TEXTS		5	/* the law review: the first five */

static int
bench_activity(uint64_t *st, const struct period *p,
    struct report_activity *a)
{
	const char	*occasion;
	int32_t		 start, lo, hi;
	size_t		 kind;
	unsigned	 r = (unsigned)(bench_rand(st) % 20);

	kind = (size_t)(bench_rand(st) % NELEM(bench_kinds));
	if ((a->area = strdup(bench_areas[bench_rand(st) %
	    NELEM(bench_areas)])) == NULL ||
	    (a->kind = strdup(bench_kinds[kind].code)) == NULL ||
	    (a->status = strdup("done")) == NULL)
		return -1;
	/* Occasions only where their day is inside the coverage. */
	lo = date_from_ymd(p->year, 3, 1);
	hi = date_from_ymd(p->year, 3, 8);
	if (r < 4 && lo >= p->from && hi <= p->to) {
		occasion = "womens_day";
		start = day_in(st, lo, hi, p->from, p->to);
	} else if (r < 6) {
		occasion = "action_month";
		start = day_in(st, date_from_ymd(p->year - 1, 12, 1),
		    date_from_ymd(p->year - 1, 12, 15), p->from, p->to);
	} else if (r < 8 && date_from_ymd(p->year, 10, 20) <= p->to) {
		occasion = "vn_womens_day";
		start = day_in(st, date_from_ymd(p->year, 10, 14),
		    date_from_ymd(p->year, 10, 20), p->from, p->to);
	} else {
		occasion = "none";
		start = day_in(st, p->from, p->to, p->from, p->to);
	}
	if ((a->occasion = strdup(occasion)) == NULL)
		return -1;
	if ((a->date = date_dup(start)) == NULL)
		return -1;
	if (bench_rand(st) % 3 == 0 && start + 2 <= p->to &&
	    (a->end_date = date_dup(start + 1 +
	    (int32_t)(bench_rand(st) % 2))) == NULL)
		return -1;
	if ((a->title = dupf("%s về %s %s", bench_kinds[kind].label,
	    PICK(st, topics), PICK(st, audiences))) == NULL)
		return -1;
	if ((a->location = dupf("%s %s", PICK(st, venues),
	    PICK(st, places))) == NULL)
		return -1;
	a->sessions = 1 + bench_rand(st) % 4;
	a->participants = 20 + bench_rand(st) % 300;
	a->female = a->participants / 3 + bench_rand(st) %
	    (a->participants / 2 + 1);
	if (a->female > a->participants)
		a->female = a->participants;
	if (bench_rand(st) % 2 == 0 &&
	    (a->notes = strdup(PICK(st, notes))) == NULL)
		return -1;
	return 0;
}

/* Two to four sentences. */
static char *
bench_text(uint64_t *st)
{
	size_t	 n = 2 + (size_t)(bench_rand(st) % 3), i;
	char	*s, *t;

	if ((s = strdup(PICK(st, sentences))) == NULL)
		return NULL;
	for (i = 1; i < n; i++) {
		t = dupf("%s %s", s, PICK(st, sentences));
		free(s);
		if ((s = t) == NULL)
			return NULL;
	}
	return s;
}

static int
bench_indicators(uint64_t *st, struct report *r)
{
	struct report_indicator_value	*v = r->indicators;
	size_t				 i;

	for (i = 0; i < BENCH_NINDICATORS; i++) {
		if ((v[i].code = strdup(bench_indicators_2022[i].code)) == NULL)
			return -1;
		r->nindicators = i + 1;
		v[i].total = 5 + bench_rand(st) % 800;
	}
	/* handled <= detected, achieved <= registered */
	v[BENCH_GBV_HANDLED].total = v[BENCH_GBV_DETECTED].total / 2;
	v[BENCH_GVNDN_ACHIEVED].total = v[BENCH_GVNDN_REGISTERED].total * 3 / 4;
	for (i = 0; i < BENCH_NINDICATORS; i++) {
		v[i].has_female = bench_indicators_2022[i].female;
		v[i].female = v[i].has_female ? v[i].total / 2 : 0;
	}
	return 0;
}

/* n texts of bench_texts into *v. */
static int
bench_texts_new(uint64_t *st, struct report_text **v, size_t *nv, size_t n)
{
	size_t	i;

	if ((*v = calloc(n, sizeof(**v))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		(*nv)++;
		if (((*v)[i].code = strdup(bench_texts[i])) == NULL ||
		    ((*v)[i].text = bench_text(st)) == NULL)
			return -1;
	}
	return 0;
}

struct report *
bench_report(const char *unit, const char *period, uint64_t seed,
    size_t nactivities)
{
	struct period_rules	 rules;
	struct period		 p;
	struct report		*r;
	const char		*errstr;
	uint64_t		 st = seed;
	size_t			 i;

	period_rules_default(&rules);
	if (period_parse(period, &rules, &p, &errstr) == -1)
		return NULL;
	if (nactivities == 0)
		nactivities = bench_nactivities(seed);
	if ((r = report_new()) == NULL)
		return NULL;
	if ((r->id = strdup(BENCH_PLACEHOLDER_ID)) == NULL ||
	    (r->unit = strdup(unit)) == NULL ||
	    (r->period = strdup(period)) == NULL ||
	    (r->reporter_name = dupf("%s %s %s", PICK(&st, family),
	    PICK(&st, middle), PICK(&st, given))) == NULL ||
	    (r->reporter_position = dupf("%s %s", PICK(&st, positions),
	    PICK(&st, places))) == NULL ||
	    (r->reporter_phone = dupf("0213 38%02u %03u",
	    (unsigned)(bench_rand(&st) % 100),
	    (unsigned)(bench_rand(&st) % 1000))) == NULL)
		goto fail;
	if ((r->activities = calloc(nactivities, sizeof(*r->activities)))
	    == NULL)
		goto fail;
	r->nactivities = nactivities;
	for (i = 0; i < nactivities; i++)
		if (bench_activity(&st, &p, &r->activities[i]) == -1)
			goto fail;
	if ((r->indicators = calloc(BENCH_NINDICATORS,
	    sizeof(*r->indicators))) == NULL || bench_indicators(&st, r) == -1)
		goto fail;
	if (bench_texts_new(&st, &r->narrative, &r->nnarrative,
	    NELEM(bench_texts)) == -1)
		goto fail;
	/* The law review's texts: in about one report in four. */
	if (bench_rand(&st) % 4 == 0) {
		if ((r->sections = calloc(1, sizeof(*r->sections))) == NULL)
			goto fail;
		r->nsections = 1;
		if ((r->sections[0].code = strdup("law_review")) == NULL ||
		    bench_texts_new(&st, &r->sections[0].fields,
		    &r->sections[0].nfields, BENCH_LAW_TEXTS) == -1)
			goto fail;
	}
	return r;
fail:
	report_free(r);
	return NULL;
}

long
bench_id_offset(const uint8_t *buf, size_t len)
{
	const void	*p;

	p = memmem(buf, len, BENCH_PLACEHOLDER_ID, BENCH_UUID_LEN);
	return p == NULL ? -1 : (long)((const uint8_t *)p - buf);
}
