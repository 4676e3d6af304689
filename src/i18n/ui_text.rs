//! The interface's own strings, and the messages made from values.

use super::{Lang, Text};
use crate::status::Status;
use pp_runtime::watch::record::RuntimeNote;

macro_rules! texts {
    ($($name:ident = $en:literal, $zh:literal;)*) => {
        $(pub const $name: Text = Text { en: $en, zh: $zh };)*
    };
}

texts! {
    APP_NAME = "Parallel Playground", "并行游乐场";
    TAGLINE = "Python's threading, queue and multiprocessing, running for real on web workers",
        "Python 的 threading、queue 与 multiprocessing，在 Web Worker 上真实运行";
    ISOLATED = "cross-origin isolated: shared memory on", "已跨源隔离：共享内存可用";
    NOT_ISOLATED = "This page is not cross-origin isolated, so the browser gives it no shared memory between \
        workers, and runs cannot start. Reload once; if this stays, serve the site with the headers \
        \"Cross-Origin-Opener-Policy: same-origin\" and \"Cross-Origin-Embedder-Policy: require-corp\" \
        (scripts/serve.sh does; on Netlify or Cloudflare Pages the _headers file of the build does), or \
        use a browser that allows service workers (the site's own adds them). The examples and their \
        sources are all here to read.",
        "此页面未跨源隔离，浏览器不给它在 Worker 之间共享的内存，因此无法运行。请重新加载一次；若仍如此，\
        请用带有 \"Cross-Origin-Opener-Policy: same-origin\" 和 \"Cross-Origin-Embedder-Policy: require-corp\" \
        这两个响应头的服务器提供本站（scripts/serve.sh 会加上；在 Netlify 或 Cloudflare Pages 上由构建中的 \
        _headers 文件设置），或使用允许 Service Worker 的浏览器（本站自带的 Service Worker 会加上它们）。\
        所有示例及其源代码仍可阅读。";
    NO_SHARED_MEMORY = "This browser gives the page no shared memory between workers, though the page is \
        cross-origin isolated, so runs cannot start here. Current Chrome, Edge, Firefox and Safari (macOS and \
        iPadOS) all can; some embedded browsers (WebKitGTK without shared memory switched on, in-app \
        browsers) cannot. The examples and their sources are all here to read.",
        "此浏览器虽已跨源隔离，却不给页面在 Worker 之间共享的内存，因此这里无法运行。当前的 Chrome、Edge、\
        Firefox 和 Safari（macOS 与 iPadOS）都可以；某些嵌入式浏览器（未开启共享内存的 WebKitGTK、应用内浏览器）\
        不行。所有示例及其源代码仍可阅读。";
    RELOADING_FOR_ISOLATION = "Turning shared memory on: the page reloads once…", "正在开启共享内存：页面将重新加载一次…";
    COULD_NOT_START = "The playground could not start: ", "游乐场无法启动：";
    PAGE_PANICKED = "The playground hit a bug of its own and may not respond any more. Reload the page: your \
        edited Python is kept. What went wrong:",
        "游乐场自身出了错，可能不再响应。请重新加载页面：你修改过的 Python 代码会保留。出错之处：";
    SWITCH_LANGUAGE = "中文", "English";
    SWITCH_LANGUAGE_LABEL = "Switch the interface to Chinese", "将界面切换为英文";
    THEME_LABEL = "Theme", "主题";
    THEME_SYSTEM = "system", "跟随系统";
    THEME_LIGHT = "light", "浅色";
    THEME_DARK = "dark", "深色";
    CATALOGUE_LABEL = "Examples", "示例";
    MEASURE = "Measure", "测量";
    BENCHMARKS = "Benchmarks", "基准测试";
    NO_SUCH_EXAMPLE = "No such example", "没有这个示例";
    NO_SUCH_PAGE = "No such page", "没有这个页面";
    WELCOME_TITLE = "Run the tutorial's examples, and see what every thread did", "运行教程中的示例，看清每个线程做了什么";
    WELCOME_WHAT = "A Python tutorial on threads, processes, locks and queues, run for real in your browser: \
        every Python thread is a web worker sharing one memory, every process a worker with a memory of its \
        own. Change the Python, run it, and watch the timeline, the locks each thread waits on, and the \
        deadlocks as they happen.",
        "一份讲线程、进程、锁与队列的 Python 教程，在你的浏览器中真实运行：每个 Python 线程都是共享同一块内存的 \
        Web Worker，每个进程都是拥有独立内存的 Worker。修改 Python 代码、运行它，并观察时间线、每个线程在等待的锁，\
        以及死锁如何发生。";
    WELCOME_CHAPTERS = "The chapters", "章节";
    WELCOME_MEASURE = "Measure this browser: the playground's locks and queues against plain JavaScript",
        "测量这个浏览器：本游乐场的锁与队列对比原生 JavaScript";
    WELCOME_MEASURE_RUN = "Run the benchmark here", "在这里运行基准测试";
    KEYS_HELP = "Keys: Ctrl+Enter runs, Escape stops, Alt+↓ / Alt+↑ the next / previous example.",
        "快捷键：Ctrl+Enter 运行，Esc 停止，Alt+↓ / Alt+↑ 下一个 / 上一个示例。";
    LOOK_FOR = "Look for: ", "看点：";
    TUTORIAL_IS_WRONG = "Where the tutorial is wrong: ", "教程有误之处：";
    TAB_PYTHON = "Python", "Python";
    TAB_RUST = "Rust port", "Rust 移植版";
    GIL_TITLE = "CPython (up to 3.12) lets one thread run Python at a time; off: free-threaded, all threads at once",
        "CPython（至 3.12）一次只让一个线程运行 Python；关闭：自由线程，所有线程同时运行";
    RUN = "Run", "运行";
    RUN_AGAIN = "Run again", "再次运行";
    STOP = "Stop", "停止";
    RUN_NOT_ISOLATED = "this page is not cross-origin isolated: shared memory is off", "此页面未跨源隔离：共享内存不可用";
    EXPORT_TRACE = "Export trace (JSON)", "导出跟踪（JSON）";
    EXPORT_TRACE_TITLE = "the run as a Chrome trace-event file: open it in Perfetto (ui.perfetto.dev) or chrome://tracing, \
        beside a VizTracer trace of CPython",
        "以 Chrome trace-event 文件导出本次运行：可在 Perfetto（ui.perfetto.dev）或 chrome://tracing 中打开，与 CPython 的 VizTracer 跟踪对照";
    EXPORT_SVG = "Export figure (SVG)", "导出图（SVG）";
    EXPORT_FAILED = "Could not export: ", "无法导出：";
    RUN_NO_SHARED_MEMORY = "this browser gives no shared memory between workers", "此浏览器不提供 Worker 间的共享内存";
    RUN_PYTHON_LOADING = "Python is loading", "Python 正在加载";
    PARAMETERS = "Parameters", "参数";
    TIME_LIMIT = "Time limit (s)", "时间上限（秒）";
    TIME_LIMIT_RANGE = "a whole number of seconds, 1 to 3600", "1 到 3600 之间的整数秒";
    STATUS_IDLE = "idle", "空闲";
    STATUS_RUNNING = "running", "运行中";
    STATUS_DONE = "done", "完成";
    STATUS_FAILED = "failed", "失败";
    STATUS_STOPPED = "stopped", "已停止";
    STATUS_DEADLOCK = "deadlock", "死锁";
    LINES = "lines", "行";
    COPY = "Copy", "复制";
    COPIED = "Copied", "已复制";
    SHARE = "Share", "分享";
    SHARE_COPIED = "Link copied", "链接已复制";
    SHOW_ALL = "Show all", "全部显示";
    ONLY_THIS_EXAMPLE = "only this example", "只看本示例";
    WHOLE_FILE = "whole file", "整个文件";
    TIMELINE_LABEL = "what each thread did over time", "每个线程随时间做了什么";
    WAITFOR_LABEL = "wait-for graph of the deadlock", "死锁的等待图";
    WAITFOR_CAPTION = "Deadlock: each thread holds what the next one waits for. None of them can go on.",
        "死锁：每个线程都持有下一个线程等待的东西，谁都无法继续。";
    WAITS_FOR = "waits for", "等待";
    HELD_BY = "held by", "被持有于";
    SLEEPING = "sleeping", "睡眠";
    WAITING_ON = "waiting on", "等待";
    RESET = "Reset", "重置";
    RESET_TITLE = "Back to the tutorial's text (your edits are kept in this browser until then)",
        "恢复为教程原文（在此之前，你的修改保存在这个浏览器中）";
    SHARE_LINK = "Share link", "分享链接";
    EDITOR_HINT = "Ctrl+Enter runs. Your edits are kept in this browser.", "Ctrl+Enter 运行。你的修改保存在这个浏览器中。";
    SHARE_LINK_SHOWN = "A link to this program (copied if the browser allowed it): ",
        "此程序的链接（若浏览器允许，已复制）：";
    FROM_EARLIER_CELLS = "Lines marked \u{201c}# from In [N], an earlier cell\u{201d} come from earlier cells of the \
        notebook: this cell relies on them.",
        "标有“# from In [N], an earlier cell”的行来自笔记本中更早的单元格：本单元格依赖它们。";
    COMPILING_PYTHON = "Compiling Python…", "正在编译 Python…";
    LOADING_PYTHON = "Loading Python…", "正在加载 Python…";
    TRY_AGAIN = "Try again", "重试";
    BENCH_TITLE = "Benchmarks, in this browser", "基准测试，在这个浏览器中";
    BENCH_WHAT = "Medians of 7 passes, nanoseconds per operation (per round trip for ping-pongs). The Rust figures \
        are the playground's own primitives on web workers, with the GIL off; the JS figures are the platform alone.",
        "7 轮的中位数，单位为每次操作的纳秒数（乒乓测试为每个往返）。Rust 数据是本游乐场自己的原语在 Web Worker \
        上、关闭 GIL 时的表现；JS 数据是平台本身。";
    BENCH_RUN = "Run the benchmarks", "运行基准测试";
    BENCH_NAME = "benchmark", "基准";
    BENCH_MEDIAN = "median ns", "中位数（纳秒）";
    BENCH_WHAT_COLUMN = "what", "内容";
    BENCH_JS_TASK = "plain JS, per task", "原生 JS，每个任务";
    BENCH_JS_ROUND_TRIP = "plain JS, per round trip", "原生 JS，每个往返";
    BENCH_JS_WORKER_START = "plain JS, a new worker instantiating this module", "原生 JS，新 worker 实例化本模块";
    BENCH_CROSSOVER = "Where two processes start to pay: the CPU job twice in turn against on two processes (their start included), by n", "两个进程何时开始划算：按 n，CPU 任务依次运行两次与在两个进程上运行（含启动）";
    BENCH_CROSSOVER_SEQUENTIAL = "twice in turn", "依次两次";
    BENCH_CROSSOVER_TWO = "two processes", "两个进程";
    BENCH_SCALING = "Speed-up against workers: the CPU job of one size split in equal parts, each kind of worker against one of its own; dots measured on this machine, dashed Amdahl's law fitted and drawn on to 16", "加速比与工作者数量：同样大小的 CPU 任务平均分成若干份，每种工作者与其自身的单个相比；圆点为本机测量值，虚线为拟合的阿姆达尔定律，延伸到 16";
    BENCH_SCALING_PROCESSES = "processes", "进程";
    BENCH_SCALING_THREADS = "threads, GIL off", "线程（关闭 GIL）";
    BENCH_SCALING_RAYON = "rayon", "rayon";
    BENCH_SCALING_IDEAL = "ideal", "理想";
    BENCH_SCALING_WORKERS = "workers", "个工作者";
    BENCH_RUST_ROW = "Rust on web workers", "Web Worker 上的 Rust";
    CODE_NOT_PROGRAM = "the code in the address is not a program (not URL-safe base64)",
        "地址中的 code 不是程序（不是 URL 安全的 base64）";
    CODE_NOT_UTF8 = "the code in the address is not UTF-8 text", "地址中的 code 不是 UTF-8 文本";
    LEGEND_RUNNING = " running (runnable) ", " 运行（可运行） ";
    LEGEND_WAITING = " waiting on a lock, queue, condition or thread ", " 等待锁、队列、条件变量或线程 ";
    LEGEND_SLEEPING = " sleeping", " 睡眠";
    LEGEND_WOKE = " who woke whom", " 谁唤醒了谁";
    BREAKDOWN = "Where the time went", "时间花在了哪里";
    REPLAY = "Replay the run", "回放这次运行";
    REPLAY_PREV = "Previous event", "上一个事件";
    REPLAY_NEXT = "Next event", "下一个事件";
    REPLAY_RUNNING = "running", "运行";
    REPLAY_SLEEPING = "sleeping", "睡眠";
    REPLAY_DONE = "finished", "已结束";
    STEP = "Step through", "单步运行";
    STEP_TITLE = "Be the scheduler: the run stops at every scheduling point (a lock, a wait, a print, a new line of \
        your program, a write of a shared variable) and you choose which thread goes on. Keys 1-9 choose.",
        "你来当调度器：运行在每个调度点（锁、等待、打印、程序的新一行、共享变量的写入）停下，由你选择哪个线程继续。按 1-9 选择。";
    STEP_HEADING = "You are the scheduler: who goes on?", "你是调度器：谁继续？";
    STEP_RUNNING = "running to its next point…", "正在运行到下一个调度点…";
    STEP_NONE = "No thread can go on now: each waits for another, for time, or for another process.",
        "现在没有线程能继续：每个都在等待其他线程、时间或另一个进程。";
    STEP_FREE = "Let it run", "让它自己运行";
    STEP_ORDER = "Your schedule: ", "你的调度顺序：";
    STEP_REPLAY = "Replay this schedule", "重放这个调度顺序";
    STEP_SHARED = "Play the link's schedule", "播放链接中的调度顺序";
    STEP_SHARE = "Copy a link to this schedule", "复制此调度顺序的链接";
    STEP_SHARE_COPIED = "Link copied", "链接已复制";
    STEP_ONE_PROCESS = "Only the first process is stepped: its child processes run by themselves.",
        "只有第一个进程单步运行：它的子进程自行运行。";
    COMPARE = "Compare with the run before", "与上一次运行比较";
    COMPARE_BEFORE = "The run before", "上一次运行";
    COMPARE_NOW = "This run", "这次运行";
    COMPARE_TIMES_LEFT_OUT = "Compared by order, not time: threads starting and ending, lines printed, and who \
        let whom go on (a lock granted, a put that answered a get, a join that returned).",
        "按顺序而非时间比较：线程的开始和结束、打印的行，以及谁让谁继续（锁的授予、满足 get 的 put、返回的 join）。";
    SPLIT_RUNNING = "running", "运行";
    SPLIT_GIL = "waiting for the GIL", "等待 GIL";
    SPLIT_BLOCKED = "blocked", "阻塞";
    SPLIT_SLEEPING = "sleeping", "睡眠";
    CONTENTION_OBJECT = "object", "对象";
    CONTENTION_WAITS = "waits", "等待次数";
    CONTENTION_TOTAL = "total wait", "总等待";
    CONTENTION_LONGEST = "longest", "最长";
    CONTENTION_HAND_OVERS = "hand-overs", "交接";
    CONTENTION_WHO = "who waited", "谁在等待";
    OUTCOME_NO_OUTPUT = "(no output)", "（无输出）";
    OUTCOME_DEADLOCK = "deadlock", "死锁";
    OUTCOME_TIME_LIMIT = "stopped (time limit)", "已停止（时间限制）";
    OUTCOME_FAILED = "failed", "失败";
    OUTCOME_UNFINISHED = "unfinished", "未结束";
    SHAKE = "Shake", "摇一摇";
    SHAKE_TITLE = "Run it many times, each with random pauses at the runtime's scheduling points (a seed per run), \
        and count the outcomes", "运行多次，每次在运行时的调度点插入随机停顿（每次一个种子），并统计结果";
    PROVE = "Prove it", "证明它";
    PROVE_TITLE = "Shake the program as it stands: fixed only if every run is right",
        "摇动当前的程序：只有每次运行都正确才算修好";
    SHAKE_CANCEL = "Cancel", "取消";
    SHAKE_OUTCOMES = "Outcomes", "结果";
    SHAKE_REPLAY = "Replay seed ", "重放种子 ";
    SHAKE_REPLAY_EXACT = "A replay makes the threads pass every line, every write of a shared name, every \
        acquire and every print in the order the shaken run recorded: it repeats that run.",
        "重放让各线程按被摇动的那次运行所记录的顺序，经过每一行、每一次对共享名字的写入、每一次获取和每一次打印：它重现那次运行。";
    SHAKE_REPLAY_OBJECTS = "A replay makes the threads pass the runtime's locks, queues, events and prints in \
        the order the shaken run recorded. What they share without them (a plain counter) is not ordered: with \
        the GIL off, or in a Rust port, such a run may come out otherwise.",
        "重放让各线程按被摇动的那次运行所记录的顺序经过运行时的锁、队列、事件和打印。不经过它们而共享的东西（普通计数器）不受约束：\
        关闭 GIL 或在 Rust 移植中，这样的运行可能有不同结果。";
    SHAKE_PLAIN_MEMORY = "Threads that share plain variables (not the runtime's locks, queues and events) are \
        shaken only where they touch those objects or print, and at the GIL's hand-over.",
        "共享普通变量（而非运行时的锁、队列和事件）的线程，只在接触这些对象、打印以及 GIL 交接时被摇动。";
    TASK_RACE = "Your task: make the counter always right. Edit the program and press Prove it: every shaken run \
        must end with \u{201c}no update lost\u{201d}.", "你的任务：让计数器永远正确。修改程序并按“证明它”：每一次被摇动的运行都必须以 \
        “no update lost”结束。";
    TASK_DEADLOCK = "Your task: make the two threads never deadlock. Edit the program and press Prove it: every \
        shaken run must finish.", "你的任务：让两个线程永不死锁。修改程序并按“证明它”：每一次被摇动的运行都必须结束。";
    TASK_LIVELOCK = "Your task: make both transfers happen, without anyone giving up. Set GIVE_UP so a run cannot \
        go on forever, fix the program, and press Prove it.", "你的任务：让两笔转账都完成，且无人放弃。设置 GIVE_UP \
        使运行不会无限进行，修好程序，再按“证明它”。";
    TASK_STARVATION = "Your task: give the polite thread its share: within a factor of two of the greedy one's turns, \
        in every shaken run.", "你的任务：让礼貌的线程得到应有的份额：在每一次被摇动的运行中，它的轮次与贪婪线程的相差不超过两倍。";
    EDITOR_LABEL = "Python program", "Python 程序";
    STOPPED_NOTE = "stopped: every worker of the run was terminated", "已停止：本次运行的所有 Worker 都已终止";
}

pub fn status(status: Status, lang: Lang) -> &'static str {
    let text = match status {
        Status::Idle => STATUS_IDLE,
        Status::Running => STATUS_RUNNING,
        Status::Done => STATUS_DONE,
        Status::Failed => STATUS_FAILED,
        Status::Stopped => STATUS_STOPPED,
        Status::Deadlock => STATUS_DEADLOCK,
    };
    text.get(lang)
}

pub fn not_found(id: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("There is no example \u{201c}{id}\u{201d}. Pick one from the list."),
        Lang::Zh => format!("没有名为“{id}”的示例。请从列表中选择一个。"),
    }
}

pub fn unknown_page(path: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "The address \u{201c}{path}\u{201d} is not a page of the playground. The examples are listed on the left."
        ),
        Lang::Zh => format!("地址“{path}”不是本游乐场的页面。示例列在左侧。"),
    }
}

pub fn tutorial_heading(from: usize, to: usize, has_code: bool, lang: Lang) -> String {
    match (lang, has_code) {
        (Lang::En, true) => format!("The tutorial (lines {from}–{to}): the cell and what it printed"),
        (Lang::En, false) => format!("The tutorial's text (lines {from}–{to}): it has no code for this"),
        (Lang::Zh, true) => format!("教程原文（第 {from}–{to} 行）：单元格及其输出"),
        (Lang::Zh, false) => format!("教程原文（第 {from}–{to} 行）：教程没有为此给出代码"),
    }
}

pub fn rust_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Rust port (the code that runs): ",
        Lang::Zh => "Rust 移植版（实际运行的代码）：",
    }
}

pub fn rust_part(entry: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(", {entry}() and what it uses"),
        Lang::Zh => format!("中的 {entry}() 及其用到的部分"),
    }
}

pub fn lanes_left_out(n: usize, drawn: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{n} more threads ran; the first {drawn} are drawn. "),
        Lang::Zh => format!("另有 {n} 个线程运行过；只画出前 {drawn} 个。"),
    }
}

pub fn arrows_left_out(n: usize, drawn: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{n} more hand-overs; the first {drawn} are drawn (the exported trace has them all). "),
        Lang::Zh => format!("另有 {n} 次交接；只画出前 {drawn} 次（导出的 trace 包含全部）。"),
    }
}

/// The replay's moment: its time and which step of all.
pub fn replay_moment(ms: f64, step: usize, steps: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("at {ms:.2} ms, event {step} of {steps}"),
        Lang::Zh => format!("{ms:.2} 毫秒时，第 {step} 个事件，共 {steps} 个"),
    }
}

/// What two runs' comparison found: where they first part (0-based), of how many steps.
pub fn compare_summary(first_difference: Option<usize>, steps: usize, lang: Lang) -> String {
    match (lang, first_difference) {
        (Lang::En, None) => format!("The two runs went the same way: {steps} steps in the same order."),
        (Lang::En, Some(d)) => {
            format!("The two runs went the same way for {d} steps; they part at step {} (marked).", d + 1)
        }
        (Lang::Zh, None) => format!("两次运行的过程相同：{steps} 步，顺序一致。"),
        (Lang::Zh, Some(d)) => format!("两次运行的前 {d} 步相同；从第 {} 步起不同（已标出）。", d + 1),
    }
}

/// One step of a run, told for the comparison: `who` started, ended, printed, or went on
/// because `by` let it (`verb` on `object`: the program's words).
pub fn compare_step(who: &str, step: CompareStep<'_>, lang: Lang) -> String {
    match (lang, step) {
        (Lang::En, CompareStep::Started) => format!("{who} started"),
        (Lang::En, CompareStep::Ended) => format!("{who} ended"),
        (Lang::Zh, CompareStep::Started) => format!("{who} 开始"),
        (Lang::Zh, CompareStep::Ended) => format!("{who} 结束"),
        (_, CompareStep::Printed(text)) => format!("{who}: {text}"),
        (Lang::En, CompareStep::WokenBy { by, verb, object }) => {
            format!("{who} went on ({verb} {object}), let go by {by}")
        }
        (Lang::Zh, CompareStep::WokenBy { by, verb, object }) => format!("{who} 继续（{verb} {object}），由 {by} 放行"),
    }
}

/// A step of [`compare_step`].
pub enum CompareStep<'a> {
    Started,
    Ended,
    Printed(&'a str),
    WokenBy { by: &'a str, verb: &'a str, object: &'a str },
}

/// One edge of the replay's who-waits-for-whom.
pub fn replay_waits_for(who: &str, object: &str, taker: Option<&str>, lang: Lang) -> String {
    match (lang, taker) {
        (Lang::En, Some(t)) => format!("{who} waits for {object}, last taken by {t}"),
        (Lang::En, None) => format!("{who} waits for {object}"),
        (Lang::Zh, Some(t)) => format!("{who} 等待 {object}，最后由 {t} 取得"),
        (Lang::Zh, None) => format!("{who} 等待 {object}"),
    }
}

/// A histogram bar of a race's lost updates: from `low` to `high`.
pub fn lost_updates(low: u64, high: u64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{low}–{high} updates lost"),
        Lang::Zh => format!("丢失 {low}–{high} 次更新"),
    }
}

/// Where a Shake or Prove it is: runs made of all.
pub fn shake_progress(done: usize, runs: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("run {done} of {runs}"),
        Lang::Zh => format!("第 {done} 次，共 {runs} 次"),
    }
}

/// A finished Shake's summary.
pub fn shake_summary(runs: usize, failures: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{runs} runs, {failures} not as expected"),
        Lang::Zh => format!("{runs} 次运行，{failures} 次不符合预期"),
    }
}

/// How a replay of seed `seed` compares with the run it replayed.
pub fn replay_verdict(seed: u32, same: bool, departed_at: Option<u32>, lang: Lang) -> String {
    let how = match (lang, same) {
        (Lang::En, true) => format!("The replay of seed {seed} printed the same lines and ended the same way."),
        (Lang::En, false) => format!("The replay of seed {seed} came out otherwise than the shaken run."),
        (Lang::Zh, true) => format!("种子 {seed} 的重放打印了相同的行，并以相同的方式结束。"),
        (Lang::Zh, false) => format!("种子 {seed} 的重放与被摇动的那次运行结果不同。"),
    };
    match (lang, departed_at) {
        (_, None) => how,
        (Lang::En, Some(at)) => format!("{how} It followed the record up to step {at}, then ran freely."),
        (Lang::Zh, Some(at)) => format!("{how}它按记录运行到第 {at} 步，之后自由运行。"),
    }
}

/// A finished Prove it's verdict.
pub fn prove_verdict(runs: usize, failures: usize, lang: Lang) -> String {
    match (lang, failures) {
        (Lang::En, 0) => format!("Fixed: all {runs} shaken runs were right."),
        (Lang::En, f) => format!("Not fixed: {f} of {runs} shaken runs went wrong. The first is run again below."),
        (Lang::Zh, 0) => format!("已修好：全部 {runs} 次被摇动的运行都正确。"),
        (Lang::Zh, f) => format!("未修好：{runs} 次被摇动的运行中有 {f} 次出错。下面重新运行了第一次出错的。"),
    }
}

/// A who-woke-whom arrow's tooltip: `what` is the woken thread's wait (`acquire lock 1`).
pub fn woke(from: &str, to: &str, what: &str, waited_ms: f64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{from} let {to} go on: {what}, waited {waited_ms:.1} ms"),
        Lang::Zh => format!("{from} 让 {to} 继续：{what}，等待了 {waited_ms:.1} 毫秒"),
    }
}

pub fn pool_progress(pool: &str, done: u32, total: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{pool}: {done} of {total} tasks done"),
        Lang::Zh => format!("{pool}：已完成 {done} / {total} 个任务"),
    }
}

pub fn hidden_lines(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{n} earlier lines are not drawn. "),
        Lang::Zh => format!("更早的 {n} 行未显示。"),
    }
}

pub fn loading_python_mb(received: f64, total: f64, lang: Lang) -> String {
    let (r, t) = (received / 1e6, total / 1e6);
    match lang {
        Lang::En => format!("Loading Python: {r:.1} of {t:.1} MB"),
        Lang::Zh => format!("正在加载 Python：{r:.1} / {t:.1} MB"),
    }
}

pub fn python_failed(why: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Python could not load: {why}. "),
        Lang::Zh => format!("Python 无法加载：{why}。"),
    }
}

pub fn syntax_error(line: u32, message: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("SyntaxError on line {line}: {message}"),
        Lang::Zh => format!("第 {line} 行有 SyntaxError：{message}"),
    }
}

pub fn line_differs(line: usize, why: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Line {line} differs from the tutorial: {why}."),
        Lang::Zh => format!("第 {line} 行与教程不同：{why}。"),
    }
}

pub fn editor_failed(why: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("The editor could not load ({why}): a plain text area stands in."),
        Lang::Zh => format!("编辑器无法加载（{why}）：以普通文本框代替。"),
    }
}

/// A wait in the timeline: `verb` is what the thread called (acquire, get, …), kept as code.
pub fn waiting(verb: Option<&str>, object: &str, lang: Lang) -> String {
    match (lang, verb) {
        (_, Some(verb)) => format!("{verb} {object}"),
        (Lang::En, None) => format!("waiting on {object}"),
        (Lang::Zh, None) => format!("等待 {object}"),
    }
}

pub fn between_processes(verb: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{verb} (between processes)"),
        Lang::Zh => format!("{verb}（跨进程）"),
    }
}

pub fn inside_interpreter(verb: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{verb} (inside the interpreter)"),
        Lang::Zh => format!("{verb}（解释器内部）"),
    }
}

/// A URL parameter this example does not have.
pub fn url_unknown_parameter(name: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("The address: this example has no parameter {name:?}: ignored."),
        Lang::Zh => format!("地址：此示例没有参数 {name:?}，已忽略。"),
    }
}

pub fn url_bad_switch(name: &str, value: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("The address: {name} must be on or off, not {value:?}: the example's default is used."),
        Lang::Zh => format!("地址：{name} 只能是 on 或 off，而不是 {value:?}，已使用示例的默认值。"),
    }
}

pub fn url_no_python(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "The address: this example has no Python program: the Rust port is shown.",
        Lang::Zh => "地址：此示例没有 Python 程序，显示 Rust 移植版。",
    }
}

pub fn url_bad_mode(value: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("The address: mode must be python or rust, not {value:?}: the default tab is shown."),
        Lang::Zh => format!("地址：mode 只能是 python 或 rust，而不是 {value:?}，显示默认标签页。"),
    }
}

pub fn url_bad_code(why: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("The address: {why}: the program kept for this example is shown."),
        Lang::Zh => format!("地址：{why}，显示为此示例保存的程序。"),
    }
}

pub fn url_bad_schedule(value: &str, lang: Lang) -> String {
    let shown: String = value.chars().take(40).collect();
    match lang {
        Lang::En => format!(
            "The address: schedule must be a schedule of choices (numbers joined by dots), not {shown:?}: it is ignored."
        ),
        Lang::Zh => format!("地址：schedule 必须是一个选择序列（以点连接的数字），而不是 {shown:?}，已忽略。"),
    }
}

pub fn url_bad_shake(value: &str, lang: Lang) -> String {
    match lang {
        Lang::En => {
            format!("The address: shake must be a number of runs from 1 to 1000, not {value:?}: the default is used.")
        }
        Lang::Zh => format!("地址：shake 必须是 1 到 1000 之间的运行次数，而不是 {value:?}，已使用默认值。"),
    }
}

pub fn url_bad_limit(value: &str, lang: Lang) -> String {
    match lang {
        Lang::En => {
            format!("The address: limit must be a number of seconds from 1 to 3600, not {value:?}: 60 is used.")
        }
        Lang::Zh => format!("地址：limit 必须是 1 到 3600 之间的秒数，而不是 {value:?}，已使用 60。"),
    }
}

/// A parameter's value that does not check (`params::Problem`).
pub fn param_problem(label: &str, problem: &crate::params::Problem, lang: Lang) -> String {
    use crate::params::Problem;
    match (lang, problem) {
        (Lang::En, Problem::OutOfRange { min, max }) => format!("{label} must be between {min} and {max}"),
        (Lang::En, Problem::NotWhole) => format!("{label} must be a whole number"),
        (Lang::En, Problem::NotNumber) => format!("{label} must be a number"),
        (Lang::En, Problem::TooLarge { max }) => format!("{label}: the number is too large (at most {max})"),
        (Lang::En, Problem::TooSmall { min }) => format!("{label}: the number is too small (at least {min})"),
        (Lang::En, Problem::Empty) => format!("{label} is empty"),
        (Lang::Zh, Problem::OutOfRange { min, max }) => format!("{label}必须在 {min} 到 {max} 之间"),
        (Lang::Zh, Problem::NotWhole) => format!("{label}必须是整数"),
        (Lang::Zh, Problem::NotNumber) => format!("{label}必须是数字"),
        (Lang::Zh, Problem::TooLarge { max }) => format!("{label}：数字太大（最多 {max}）"),
        (Lang::Zh, Problem::TooSmall { min }) => format!("{label}：数字太小（至少 {min}）"),
        (Lang::Zh, Problem::Empty) => format!("{label}不能为空"),
    }
}

/// The page's and the runtime's notes in the console (`ui::state::Note`).
pub fn run_failed(message: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("the run failed: {message}"),
        Lang::Zh => format!("运行失败：{message}"),
    }
}

pub fn time_limit_reached(seconds: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "stopped: the run passed its time limit of {seconds} s (the Time limit field, or limit= in the address, sets it)"
        ),
        Lang::Zh => format!("已停止：运行超过了 {seconds} 秒的时间上限（可在“时间上限”一栏或地址中的 limit= 设置）"),
    }
}

/// One edge of a deadlock: (thread, object it waits for, the thread holding it).
pub fn deadlock(edges: &[(String, String, String)], lang: Lang) -> String {
    let parts: Vec<String> = edges
        .iter()
        .map(|(thread, object, holder)| match lang {
            Lang::En => format!("{thread} waits for {object}, held by {holder}"),
            Lang::Zh => format!("{thread} 在等待 {object}，而它被 {holder} 持有"),
        })
        .collect();
    match lang {
        Lang::En => format!("deadlock: {}. None of them can ever go on; Stop ends the run.", parts.join("; ")),
        Lang::Zh => format!("死锁：{}。它们都无法继续；点“停止”结束本次运行。", parts.join("；")),
    }
}

/// A note the runtime wrote (in English) inside the run: the ones it writes, in Chinese.
pub fn runtime_note(note: &RuntimeNote, lang: Lang) -> String {
    match (note, lang) {
        (RuntimeNote::RunFailed { reason }, _) => run_failed(reason, lang),
        (RuntimeNote::DaemonsStopped { .. }, Lang::En) => note.to_string(),
        (RuntimeNote::DaemonsStopped { names }, Lang::Zh) => {
            format!("主线程和所有非守护线程都已结束：停止仍在运行的 {} 个守护线程（{}）", names.len(), names.join(", "))
        }
        (RuntimeNote::ReplayDeparted { .. }, Lang::En) => note.to_string(),
        (RuntimeNote::ReplayDeparted { at }, Lang::Zh) => {
            format!("重放在第 {} 步偏离了记录：从那里起各线程自由运行", at + 1)
        }
    }
}

/// Where a stepped thread waits, for the learner.
pub fn step_point(point: pp_runtime::watch::step::Point, line: u32, lang: Lang) -> String {
    use pp_runtime::watch::step::Point::*;
    let (en, zh) = match point {
        Acquire => ("before an acquire", "获取之前"),
        Acquired => ("has acquired", "已获取"),
        Release => ("before a release", "释放之前"),
        Wait => ("before a wait", "等待之前"),
        Notify => ("before a notify", "通知之前"),
        Set => ("before a set", "设置之前"),
        Print => ("before a print", "打印之前"),
        Line => ("", ""),
        Store => ("before it writes", "写入之前"),
    };
    let text = if lang == Lang::Zh { zh } else { en };
    match (line, text.is_empty(), lang) {
        (0, _, _) => text.to_string(),
        (_, true, Lang::En) => format!("line {line}"),
        (_, true, Lang::Zh) => format!("第 {line} 行"),
        (_, false, Lang::En) => format!("line {line}, {text}"),
        (_, false, Lang::Zh) => format!("第 {line} 行，{text}"),
    }
}

/// The crossover chart's verdict.
pub fn bench_crossover_at(n: Option<u64>, lang: Lang) -> String {
    match (n, lang) {
        (Some(n), Lang::En) => format!("two processes are faster from n = {n} on"),
        (Some(n), Lang::Zh) => format!("从 n = {n} 起两个进程更快"),
        (None, Lang::En) => "two processes were not faster at any n measured".into(),
        (None, Lang::Zh) => "在测量的任何 n 下两个进程都没有更快".into(),
    }
}

/// A scaling curve's fit: the parallel fraction and the speed-up it predicts on `at` workers.
pub fn bench_scaling_fit(parallel: f64, predicted: f64, at: usize, lang: Lang) -> String {
    let percent = parallel * 100.0;
    match lang {
        Lang::En => format!("{percent:.1}% parallel, {predicted:.1}x on {at}"),
        Lang::Zh => format!("{percent:.1}% 可并行，{at} 个时 {predicted:.1} 倍"),
    }
}

/// A played-back schedule that stopped matching the run.
pub fn step_diverged(at: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("The run no longer offered the schedule's step {at}: go on by hand."),
        Lang::Zh => format!("运行不再提供调度顺序的第 {at} 步：请手动继续。"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_notes_read_in_chinese() {
        let note = RuntimeNote::DaemonsStopped { names: vec!["a".into(), "b".into()] };
        assert_eq!(
            runtime_note(&note, Lang::Zh),
            "主线程和所有非守护线程都已结束：停止仍在运行的 2 个守护线程（a, b）"
        );
        assert_eq!(
            runtime_note(&note, Lang::En),
            "the main thread and all non-daemon threads have finished: stopping 2 daemon threads still running (a, b)"
        );
        let failed = RuntimeNote::RunFailed { reason: "boom".into() };
        assert_eq!(runtime_note(&failed, Lang::Zh), "运行失败：boom");
        assert_eq!(status(Status::Deadlock, Lang::Zh), "死锁");
    }
}
