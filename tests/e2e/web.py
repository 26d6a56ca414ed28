"""The report form of gp-client web in a real browser (tests/e2e/web.sh):
Debian's chromium, headless, driven through chromium-driver by
python3-selenium. Each step is one command, a fresh browser each time:

  web.py URL fill       fills a 2022-H1 report with three activities (an
                        added one, a copied one changed, a copy removed),
                        sees a field error appear and go away, saves the
                        draft, reloads, finds it, submits it, and prints
                        the receipt the page shows
  web.py URL draft      finds the draft typed by "fill" before submission
                        (after a restart of gp-client web)
  web.py URL queued     changes the report and submits it with the server
                        down: the page says "đang chờ gửi"
  web.py URL sent N     the page shows revision N as sent, under review
  web.py URL returned COMMENT ERROR
                        the province returned the report with COMMENT: the
                        page says so in Vietnamese with what to do, the
                        header names the unit; a women's count over the
                        participants shows ERROR (the catalogue's words);
                        corrected and sent again, it is back under review;
                        prints the receipt
  web.py URL accepted COMMENT
                        the province accepted it: shown as final, with
                        COMMENT, and the send button is off
  web.py URL offline    the server is down: the page says it cannot ask
                        the province, and the form still checks as typed

Waits are on conditions of the page (Selenium waits), never fixed sleeps.
With SHOTS=DIR, screenshots of each stage at 1366x768 and 390x844 are
saved there (for people to look at; nothing asserts them).
"""
import os
import sys
import tempfile

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT = 20
SIZES = [(1366, 768), (390, 844)]
SHOTS = os.environ.get("SHOTS")

ACTIVITIES = [
    dict(title="Nói chuyện chuyên đề “Bình đẳng giới trong gia đình”",
         area="communication_training", kind="talk", occasion="womens_day",
         status="done", audience="members", topic="gender_equality",
         date="2022-03-07", location="Hội trường LĐLĐ huyện",
         sessions="1", participants="85", female="61"),
    dict(title="Tuyên truyền Nghị quyết 11-NQ/TW tại công đoàn cơ sở",
         area="policy_dissemination", kind="propaganda", occasion="none",
         status="done", date="2022-01-12", end_date="2022-01-14",
         location="Xã Bình Lư", sessions="3", participants="210",
         female="124"),
    dict(title="Tập huấn kỹ năng cho cán bộ công đoàn nữ",
         area="female_cadres", kind="training", occasion="family_day",
         status="planned", date="2022-06-28", location="Trung tâm Chính trị",
         sessions="2", participants="45", female="45"),
]


def browser(width, height):
    o = Options()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--lang=vi",
              "--disable-dev-shm-usage",
              "--user-data-dir=" + tempfile.mkdtemp(prefix="gp-chromium-"),
              "--window-size=%d,%d" % (width, height)):
        o.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                            options=o)


class Page:
    def __init__(self, url):
        self.url = url
        self.d = browser(*SIZES[0])
        self.w = WebDriverWait(self.d, WAIT)

    def close(self):
        self.d.quit()

    def until(self, what, cond):
        try:
            return self.w.until(cond)
        except TimeoutException:
            raise SystemExit("timed out waiting for " + what + "\n" +
                             self.d.find_element(By.TAG_NAME, "body").text)

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def open(self, url=None):
        self.d.get(url or self.url)
        self.settled()

    def settled(self):
        """The page has its periods, its report and a first verdict."""
        self.until("the page to load", lambda d: self.js(
            "return document.body.dataset.ready === '1' && "
            "!!document.body.dataset.validated"))

    def validated(self, before):
        self.until("a validation", lambda d: self.js(
            "return +(document.body.dataset.validated || 0)") > before)

    def seq(self):
        return self.js("return +(document.body.dataset.validated || 0)")

    def field(self, name):
        return self.until("field " + name, lambda d: next(iter(
            d.find_elements(By.CSS_SELECTOR,
                            '[data-field="%s"]' % name)), None))

    def error(self, name):
        """The error shown next to a field, or None."""
        return self.js("""
            const c = [...document.querySelectorAll('[data-field]')]
                .find((e) => e.dataset.field === arguments[0]);
            const s = c && c.parentElement.querySelector('.err');
            return s && !s.hidden ? s.textContent : null;""", name)

    def type(self, name, value):
        e = self.field(name)
        if e.tag_name == "select":
            Select(e).select_by_value(value)
        elif e.get_attribute("type") == "date":
            # The date widget's keys follow the browser's locale.
            self.js("arguments[0].value = arguments[1];"
                    "arguments[0].dispatchEvent(new Event('input'));",
                    e, value)
        else:
            e.send_keys(Keys.CONTROL, "a")
            e.send_keys(Keys.DELETE)
            e.send_keys(value)

    def click(self, text, within=None):
        root = within or self.d
        b = self.until("button " + text, lambda d: next(
            (x for x in root.find_elements(By.TAG_NAME, "button")
             if x.text == text and x.is_displayed()), None))
        self.js("arguments[0].scrollIntoView({block: 'center'})", b)
        b.click()

    def confirm(self):
        self.until("a confirmation", EC.alert_is_present())
        self.d.switch_to.alert.accept()

    def activity(self, i):
        return self.d.find_element(
            By.CSS_SELECTOR, 'fieldset[data-index="%d"]' % i)

    def count(self):
        return len(self.d.find_elements(By.CSS_SELECTOR, "fieldset.activity"))

    def status(self):
        return self.d.find_element(By.ID, "status").text

    def review(self, state):
        """The review card, once /api/status has answered with state."""
        self.until("the review state " + state, lambda d: self.js(
            "return document.body.dataset.review") == state)
        return self.d.find_element(By.ID, "review").text

    def header(self):
        return self.d.find_element(By.ID, "unit").text

    def shot(self, name):
        """The window from the top, a page at a time (at most 6)."""
        if not SHOTS:
            return
        for w, h in SIZES:
            self.d.set_window_size(w, h)
            inner = self.js("return window.innerHeight")
            full = self.js("return document.documentElement.scrollHeight")
            for k in range(6):
                self.js("window.scrollTo(0, arguments[0])", k * (inner - 160))
                self.d.save_screenshot(os.path.join(
                    SHOTS, "%s-%dx%d-%d.png" % (name, w, h, k + 1)))
                if k * (inner - 160) + inner >= full:
                    break
        self.d.set_window_size(*SIZES[0])
        self.js("window.scrollTo(0, 0)")

    def choose(self, period):
        before = self.seq()
        sel = Select(self.d.find_element(By.ID, "period"))
        if sel.first_selected_option.get_attribute("value") != period:
            sel.select_by_value(period)
            self.validated(before)
        self.until("the report of " + period, lambda d: self.js(
            "return document.body.dataset.period") == period)


def fill_activity(p, i, a):
    for k in ("title", "area", "kind", "occasion", "status", "audience",
              "topic", "date", "end_date", "location", "sessions",
              "participants", "female"):
        if k in a:
            p.type("activities[%d].%s" % (i, k), a[k])


def keyboard(p):
    """Every control has a label, focus is visible and moves in reading
    order, errors are in live regions: usable without a mouse."""
    unlabelled = p.js("""
        return [...document.querySelectorAll('input, select, textarea')]
            .filter((c) => c.type !== 'hidden' && !(c.id &&
                document.querySelector('label[for="' + c.id + '"]')))
            .map((c) => c.outerHTML.slice(0, 80));""")
    if unlabelled:
        raise SystemExit("controls without a label: %s" % unlabelled)
    if p.js("return [...document.querySelectorAll('.err')].some("
            "(e) => e.getAttribute('aria-live') !== 'polite')"):
        raise SystemExit("an error slot is not a live region")
    title = p.field("activities[0].title")
    p.js("arguments[0].focus()", title)
    title.send_keys(Keys.TAB)
    if p.d.switch_to.active_element.get_attribute("data-field") != \
            "activities[0].area":
        raise SystemExit("Tab from the title does not reach the area")
    outline = p.js("const s = getComputedStyle(document.activeElement);"
                   "return parseFloat(s.outlineWidth) || 0;")
    if outline < 2:
        raise SystemExit("no visible focus: outline %s px" % outline)


def fill(p):
    p.open()
    p.choose("2022-H1")
    p.shot("empty")
    keyboard(p)
    p.type("reporter.name", "Lò Thị Hương")
    p.type("reporter.position", "Phó Chủ tịch LĐLĐ huyện Tam Đường")
    p.type("reporter.phone", "0213 3875 214")
    fill_activity(p, 0, ACTIVITIES[0])

    # The women's count beyond the participants: the error comes from
    # gp-client's checks, next to the field, and goes when corrected.
    before = p.seq()
    p.type("activities[0].female", "95")
    p.validated(before)
    p.until("the error on activities[0].female",
            lambda d: p.error("activities[0].female"))
    err = p.error("activities[0].female")
    if "95" not in err or "85" not in err:
        raise SystemExit("unexpected error text: " + err)
    if p.field("activities[0].female").get_attribute("aria-invalid") != "true":
        raise SystemExit("the field in error is not marked aria-invalid")
    p.shot("error")
    p.type("activities[0].female", "61")
    p.until("the error to go", lambda d: p.error("activities[0].female")
            is None)

    # A second activity added, a third copied from it and changed, a
    # fourth copied and removed.
    # From the keyboard: Enter on the button.
    add = p.d.find_element(By.ID, "add-activity")
    p.js("arguments[0].focus()", add)
    add.send_keys(Keys.ENTER)
    p.until("activity 2", lambda d: p.count() == 2)
    if p.d.switch_to.active_element.get_attribute("data-field") != \
            "activities[1].title":
        raise SystemExit("focus is not in the new activity")
    fill_activity(p, 1, ACTIVITIES[1])
    p.click("Sao chép", p.activity(1))
    p.until("the copy", lambda d: p.count() == 3)
    if p.field("activities[2].title").get_attribute("value") != \
            ACTIVITIES[1]["title"]:
        raise SystemExit("the copy does not hold the copied activity")
    p.type("activities[2].end_date", "")
    fill_activity(p, 2, ACTIVITIES[2])
    p.click("Sao chép", p.activity(2))
    p.until("a fourth", lambda d: p.count() == 4)
    p.click("Xóa", p.activity(3))
    p.confirm()
    p.until("three again", lambda d: p.count() == 3)

    p.type("indicators.members.total", "2874")
    p.type("indicators.members.female", "1356")
    p.type("narrative.results", "Tổ chức 3 hoạt động với 340 lượt người "
           "tham gia, trong đó 230 lượt nữ.")
    before = p.seq()
    p.click("Lưu nháp")
    p.until("the draft saved", lambda d: d.find_element(By.ID, "saved")
            .text.startswith("Đã lưu nháp"))
    p.validated(before - 1)
    p.until("a valid report", lambda d: d.find_element(By.ID, "summary")
            .text == "Báo cáo hợp lệ, có thể gửi.")
    p.shot("filled")

    # Reload: the draft is what comes back.
    p.open()
    p.choose("2022-H1")
    if p.count() != 3 or p.field("activities[2].title").get_attribute(
            "value") != ACTIVITIES[2]["title"]:
        raise SystemExit("the reloaded draft is not what was typed")
    if "bản nháp" not in p.d.find_element(By.ID, "source").text:
        raise SystemExit("the page does not say it shows the draft")

    p.click("Gửi báo cáo")
    p.confirm()
    p.until("the receipt", lambda d: "Mã biên nhận" in p.status())
    p.shot("sent")
    # gpd's warning in Vietnamese, said from its code: the report is late.
    expect(p.status(), "Lưu ý: Kỳ báo cáo: nộp muộn: hạn nộp 10/6/2022, "
           "nộp ngày ")
    if "late:" in p.status():
        raise SystemExit("gpd's English words shown: %r" % p.status())
    for line in p.status().splitlines():
        if line.startswith("Mã biên nhận: "):
            print(line.split(": ", 1)[1])


def draft(p):
    p.open()
    p.choose("2022-H1")
    if p.field("activities[1].title").get_attribute("value") != \
            ACTIVITIES[1]["title"]:
        raise SystemExit("the draft did not survive the restart")


def queued(p):
    p.open()
    p.choose("2022-H1")
    p.type("narrative.next_tasks", "Tổ chức các hoạt động hưởng ứng "
           "Tháng hành động vì bình đẳng giới.")
    p.click("Gửi báo cáo")
    p.confirm()
    p.until("the outbox", lambda d: "đang chờ gửi" in p.status())
    p.shot("queued")


def sent(p, revision):
    p.open()
    p.choose("2022-H1")
    # The province has it, not yet reviewed: the review card says so,
    # with the receipt.
    card = p.review("received")
    expect(card, "Tỉnh đã nhận báo cáo (lần nộp thứ %s) và đang xem xét" %
           revision, "mã biên nhận")
    if p.field("narrative.next_tasks").get_attribute("value") == "":
        raise SystemExit("the page does not start from the last revision")


UNIT_NAME = "LĐLĐ huyện Tam Đường"


def expect(text, *words):
    for w in words:
        if w not in text:
            raise SystemExit("%r not in %r" % (w, text))


def returned(p, comment, error):
    p.open()
    p.choose("2022-H1")
    card = p.review("returned")
    expect(card, "Tỉnh đã trả lại báo cáo (lần nộp thứ 2): cần sửa và gửi lại",
           "Ý kiến của LĐLĐ tỉnh khi trả lại lần nộp thứ 2", comment,
           "Việc cần làm: sửa báo cáo theo ý kiến trên ngay trên trang này",
           "“Gửi báo cáo”")
    p.until("the unit's name in the header",
            lambda d: UNIT_NAME in p.header())
    expect(p.header(), UNIT_NAME, "lc-tamduong")
    label = Select(p.d.find_element(By.ID, "period")) \
        .first_selected_option.text
    expect(label, "bị trả lại")
    # What was sent is what the page opens, to correct; unchanged, the
    # bar says so rather than "valid, send it".
    if p.field("narrative.next_tasks").get_attribute("value") == "":
        raise SystemExit("the page does not open the report sent")
    p.until("the bar to say nothing was corrected", lambda d: d.find_element(
        By.ID, "summary").text.startswith(
        "Chưa sửa gì so với lần nộp thứ 2 bị trả lại"))
    p.shot("returned")

    # A check's message, in the words of gp-client's Vietnamese
    # catalogue (po/vi.po), with the number written as Vietnamese do.
    before = p.seq()
    p.type("activities[0].female", "1200")
    p.validated(before)
    p.until("the error on activities[0].female",
            lambda d: p.error("activities[0].female"))
    if p.error("activities[0].female") != error:
        raise SystemExit("error %r, not the catalogue's %r" %
                         (p.error("activities[0].female"), error))
    expect(p.d.find_element(By.ID, "error-list").text, error)
    p.shot("returned-error")
    p.type("activities[0].female", "61")
    p.until("the error to go", lambda d: p.error("activities[0].female")
            is None)
    p.type("indicators.members.female", "1402")
    p.click("Gửi báo cáo")
    p.confirm()
    p.until("the receipt of revision 3",
            lambda d: "đã nhận lần gửi thứ 3" in p.status())
    expect(p.status(), "tỉnh sẽ xem xét lại")
    card = p.review("received")
    expect(card, "Tỉnh đã nhận báo cáo (lần nộp thứ 3) và đang xem xét",
           "Các ý kiến trước của tỉnh (1)")
    p.shot("resubmitted")
    for line in p.status().splitlines():
        if line.startswith("Mã biên nhận: "):
            print(line.split(": ", 1)[1])


def accepted(p, comment):
    p.open()
    p.choose("2022-H1")
    card = p.review("accepted")
    expect(card, "Tỉnh đã chấp nhận báo cáo (lần nộp thứ 3)",
           "báo cáo chính thức", comment)
    if p.d.find_element(By.ID, "submit").is_enabled():
        raise SystemExit("an accepted report can still be sent")
    expect(Select(p.d.find_element(By.ID, "period"))
           .first_selected_option.text, "đã được chấp nhận")
    p.shot("accepted")


def offline(p, error):
    p.open()
    p.choose("2022-H1")
    card = p.review("offline")
    expect(card, "Chưa kết nối được máy chủ của tỉnh",
           "chưa biết tỉnh đã xem xét báo cáo kỳ này hay chưa",
           "Vẫn điền, lưu nháp và gửi báo cáo được")
    if not p.d.find_element(By.ID, "offline").get_attribute("hidden"):
        raise SystemExit("gp-client web itself is said to be gone")
    # The page still checks as it is typed, in Vietnamese.
    before = p.seq()
    p.type("activities[0].female", "1200")
    p.validated(before)
    p.until("the error on activities[0].female",
            lambda d: p.error("activities[0].female") == error)
    p.shot("offline")


def main():
    url, step = sys.argv[1], sys.argv[2]
    p = Page(url)
    try:
        if step == "fill":
            fill(p)
        elif step == "draft":
            draft(p)
        elif step == "queued":
            queued(p)
        elif step == "sent":
            sent(p, sys.argv[3])
        elif step == "returned":
            returned(p, sys.argv[3], sys.argv[4])
        elif step == "accepted":
            accepted(p, sys.argv[3])
        elif step == "offline":
            offline(p, sys.argv[3])
        else:
            raise SystemExit("unknown step " + step)
        errors = [e for e in p.d.get_log("browser")
                  if e["level"] == "SEVERE" and "Failed to load resource"
                  not in e["message"]]
        if errors:
            raise SystemExit("the browser's console: %s" % errors)
    finally:
        p.close()


if __name__ == "__main__":
    main()
