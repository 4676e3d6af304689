//! Chinese text of the catalogue: chapter titles, every example's title and "what to look
//! for", parameter labels, and notes where the tutorial is wrong. English lives beside
//! each example (src/examples); a test checks that every example has its Chinese here.

/// Chapter number -> Chinese title.
pub(crate) const CHAPTERS_ZH: &[(u8, &str)] = &[
    (1, "线程与进程：初次比较"),
    (2, "threading 模块"),
    (3, "锁"),
    (4, "守护线程与 join()"),
    (5, "线程私有数据"),
    (6, "进程"),
    (7, "进程间通信"),
    (8, "进程池"),
    (9, "进程间的队列，以及性能对比"),
    (10, "queue 模块"),
    (11, "并行计算的陷阱，一一现形"),
];

pub(crate) struct ExampleZh {
    pub id: &'static str,
    pub title: &'static str,
    pub look_for: &'static str,
    /// (parameter name, Chinese label) for each parameter the example has.
    pub params: &'static [(&'static str, &'static str)],
}

pub(crate) const EXAMPLES_ZH: &[ExampleZh] = &[
    ExampleZh {
        id: "intro-threads",
        title: "两个线程跑一个 CPU 密集型任务",
        look_for: "看总耗时：GIL 打开时，两个线程轮流执行（见时间线）；再与两个进程比较。",
        params: &[("number", "相乘的数字个数")],
    },
    ExampleZh {
        id: "intro-processes",
        title: "同一任务，两个进程",
        look_for: "在两个核上约为两个线程耗时的一半：每个进程有自己的内存，也有自己的 GIL。",
        params: &[("number", "相乘的数字个数")],
    },
    ExampleZh {
        id: "thread-start",
        title: "启动一个线程",
        look_for: "名为 worker 的线程先打印 `i am working`，再打印 `finished`。",
        params: &[],
    },
    ExampleZh {
        id: "thread-signature",
        title: "Thread 的参数",
        look_for: "group、target、name、args、kwargs 和 daemon 各自的含义，以及 Rust \
            移植版的写法。",
        params: &[],
    },
    ExampleZh {
        id: "thread-exit",
        title: "主线程最后一行之后，线程仍在运行",
        look_for: "先是 `==end==`；然后每隔 `sleep` 秒打印一次 `i am a thread`，共五次：线程结束，\
            运行才结束。",
        params: &[("sleep", "sleep 时长（秒）")],
    },
    ExampleZh {
        id: "thread-args",
        title: "传递参数",
        look_for: "先是 `cgatcgat`，然后是名为 chenzhi 的线程的 repr，再是主线程的 repr。",
        params: &[],
    },
    ExampleZh {
        id: "thread-active-count",
        title: "active_count()",
        look_for: "1：新启动的进程只有主线程（教程中的 6 把 Jupyter 自己的线程也算进去了）。",
        params: &[],
    },
    ExampleZh {
        id: "thread-current",
        title: "current_thread()",
        look_for: "`<_MainThread(MainThread, started N)>`。",
        params: &[],
    },
    ExampleZh {
        id: "thread-ident",
        title: "get_ident()",
        look_for: "一个整数，然后是 `True`：它就是主线程的 ident。",
        params: &[],
    },
    ExampleZh {
        id: "thread-enumerate",
        title: "enumerate()",
        look_for: "每个存活的线程各占一行：主线程，以及名为 thread 的线程。",
        params: &[],
    },
    ExampleZh { id: "thread-main", title: "main_thread()", look_for: "主线程的 repr。", params: &[] },
    ExampleZh {
        id: "lock-add",
        title: "两个线程，一把锁",
        look_for: "`add1 2` … `add1 11` 连成一段，`add2 21` … `add2 111` 连成另一段，从不交错。",
        params: &[],
    },
    ExampleZh {
        id: "rlock-account",
        title: "用 RLock 保护的账户",
        look_for: "一次取钱成功，余额剩 100；另一次失败：余额不足。",
        params: &[],
    },
    ExampleZh {
        id: "lock-counter",
        title: "十个线程，一把锁，一个计数器",
        look_for: "默认参数下得到 `10001`：每次加 1 都在锁内完成，一次也没有丢。",
        params: &[("threads", "线程数"), ("increments", "每个线程加 1 的次数")],
    },
    ExampleZh {
        id: "daemon-false",
        title: "daemon=False",
        look_for: "主线程的两行很早就打印出来，但运行一直持续到子线程的三行都打印完。",
        params: &[("sleep", "sleep 时长（秒）")],
    },
    ExampleZh {
        id: "daemon-true",
        title: "daemon=True",
        look_for: "运行随主线程一起结束：守护线程后面的几行不会出现，控制台会说明它被终止了。",
        params: &[("sleep", "sleep 时长（秒）")],
    },
    ExampleZh {
        id: "daemon-none",
        title: "daemon=None：继承父线程的值",
        look_for: "bar 线程都是守护线程（继承自 foo），一直循环，直到主线程睡眠两个 sleep \
            时长后结束。",
        params: &[("sleep", "sleep 时长（秒）")],
    },
    ExampleZh {
        id: "thread-join",
        title: "join()",
        look_for: "十行 `hello world` 全部打印完之后，才出现 `==end==`。",
        params: &[("sleep", "sleep 时长（秒）")],
    },
    ExampleZh {
        id: "thread-local-args",
        title: "把局部计数作为参数传递",
        look_for: "10 个线程各自打印自己的名字和 1000。",
        params: &[],
    },
    ExampleZh {
        id: "thread-local",
        title: "threading.local()",
        look_for: "同样的结果，但通过同一个 threading.local() 对象：每个线程看到的是自己的 num。",
        params: &[],
    },
    ExampleZh { id: "pool-first", title: "with Pool(5) as p", look_for: "`[1, 4, 9]`。", params: &[] },
    ExampleZh {
        id: "cpu-count",
        title: "cpu_count()",
        look_for: "浏览器的逻辑核数（navigator.hardwareConcurrency）。",
        params: &[],
    },
    ExampleZh {
        id: "process-is-alive",
        title: "is_alive()",
        look_for: "子进程内是 `True`，join 之后是 `False`。",
        params: &[],
    },
    ExampleZh {
        id: "process-pids",
        title: "getpid() 与 getppid()",
        look_for: "一个父进程 id，四个互不相同的子进程 id。",
        params: &[],
    },
    ExampleZh {
        id: "process-attrs",
        title: "进程的属性",
        look_for: "子进程的名字（Process-1）、pid、daemon 标志和 authkey。",
        params: &[],
    },
    ExampleZh {
        id: "process-class",
        title: "重写 run() 的 Process 子类",
        look_for: "打印五次时间，每次相隔 `interval` 秒。",
        params: &[("interval", "间隔（秒）")],
    },
    ExampleZh {
        id: "process-targets",
        title: "三个进程，三个目标函数",
        look_for: "`49`、`125`、`works`（顺序不定），然后是 `we are done`。",
        params: &[],
    },
    ExampleZh {
        id: "process-default-arg",
        title: "目标函数的默认参数",
        look_for: "asia、africa、latein。",
        params: &[],
    },
    ExampleZh {
        id: "ipc-queue",
        title: "进程间的 Queue",
        look_for: "`[42, None, 'hello']`：子进程放入，父进程取出。",
        params: &[],
    },
    ExampleZh {
        id: "ipc-pipe", title: "Pipe（管道）", look_for: "`[24, 'hello']`，然后是 `hello`。", params: &[]
    },
    ExampleZh {
        id: "process-lock",
        title: "跨进程的 Lock",
        look_for: "`hello 0` … `hello 9`，每行完整，顺序不定。",
        params: &[],
    },
    ExampleZh { id: "process-nolock", title: "不加锁打印", look_for: "`hello 0` … `hello 3`。", params: &[] },
    ExampleZh {
        id: "shared-value-array",
        title: "共享内存中的 Value 与 Array",
        look_for: "先是 `0.0`，然后是 `3.14` 和 `[0, -1, … -9]`：子进程就地修改了它们。",
        params: &[],
    },
    ExampleZh {
        id: "manager-plain-list",
        title: "普通 list 会被复制",
        look_for: "子进程看到 `['a', 'b', 'c']`；父进程仍是 `['a', 'b']`：内存真的是分开的。",
        params: &[],
    },
    ExampleZh {
        id: "manager-list",
        title: "Manager 的 list 是共享的",
        look_for: "父进程看到 `['a', 'b', 'c']`。",
        params: &[],
    },
    ExampleZh {
        id: "pool-methods", title: "Pool 的常用方法", look_for: "这张表，教程写错的地方已改正。", params: &[]
    },
    ExampleZh {
        id: "pool-apply-async",
        title: "Pool(9) 上的 apply_async",
        look_for: "十对 running/ending，最多来自九个工作进程 id：第十个任务复用其中一个。",
        params: &[("sleep", "sleep 时长（秒）")],
    },
    ExampleZh {
        id: "pool-apply-async-callback",
        title: "带回调的 apply_async",
        look_for: "六个平方数全部到齐，按完成的先后排列。",
        params: &[],
    },
    ExampleZh {
        id: "pool-map-async",
        title: "map_async 与 get()",
        look_for: "先是一个 MapResult 的 repr，然后是 `[9, 16, 25, 1]`。",
        params: &[],
    },
    ExampleZh {
        id: "pool-map-async-callback",
        title: "带回调的 map_async",
        look_for: "`[[9, 16, 25, 1]]`：回调只调用一次，拿到整个列表。",
        params: &[],
    },
    ExampleZh {
        id: "pool-errors",
        title: "任务抛出异常时",
        look_for: "apply_async：其他任务的结果照常保留；map_async：整个 map 失败；两种情况下 \
            error_callback 都会收到异常。",
        params: &[],
    },
    ExampleZh {
        id: "pool-callback-main",
        title: "回调在主进程中运行",
        look_for: "回调打印的几行，出自主进程（教程所示的 TypeError 来自 apply(…, callback=a)：\
            apply 没有 callback 参数；印出的 apply_async 代码本身没有错）。",
        params: &[],
    },
    ExampleZh {
        id: "pool-apply-vs-async",
        title: "apply 与 apply_async",
        look_for: "apply_async 并发执行，耗时约为 sleep 总量最多的那个工作进程的 sleep 之和；apply \
            逐个执行，约为全部 sleep 之和。",
        params: &[("max_sleep", "最长 sleep（秒）")],
    },
    ExampleZh {
        id: "pool-apply-async-get",
        title: "apply_async 之后 get()",
        look_for: "`[9, 9, 9, 9, 9, 9]`。",
        params: &[],
    },
    ExampleZh {
        id: "pool-map",
        title: "map()",
        look_for: "`[1, 1, 4, 27, 256, 3125, 46656, 823543, 16777216, 387420489]`。",
        params: &[],
    },
    ExampleZh {
        id: "pool-map-workers",
        title: "每一项由哪个进程计算",
        look_for: "每一项的工作进程，然后是两个列表，连 23**23 也分毫不差。",
        params: &[],
    },
    ExampleZh {
        id: "ipc-rand", title: "四个进程，四个随机数", look_for: "四个落在 [0, 1) 内的数。", params: &[]
    },
    ExampleZh { id: "ipc-job-sum", title: "两个进程求和", look_for: "`499667166000`。", params: &[] },
    ExampleZh {
        id: "benchmark",
        title: "normal、multithread 与 multicore 对比",
        look_for: "三个结果都是 499999666667166666000000（n = 1000000 时），以及各自的耗时：GIL \
            打开时，multithread 并不比 normal 快；接着是关闭 GIL 的 multithread，以及 rayon。n \
            = 1000000 时，这里求和只需约 10 ms，比启动两个进程的时间还短：取 n = 50000000，\
            multicore 几乎比 normal 快一倍。",
        params: &[("n", "n（每个进程的项数）")],
    },
    ExampleZh {
        id: "queue-fifo-empty-loop",
        title: "不为空就一直取",
        look_for: "依次放入第 1-3 项，再按顺序取出。",
        params: &[],
    },
    ExampleZh {
        id: "pool-mixed",
        title: "map、apply_async 与十个 apply_async",
        look_for: "`[0, 1, 4, … 81]`、`4`、`[0, 1, … 81]`。",
        params: &[],
    },
    ExampleZh {
        id: "queue-fifo",
        title: "Queue（先进先出）",
        look_for: "先是字典，然后是列表：先进先出。",
        params: &[],
    },
    ExampleZh {
        id: "queue-lifo", title: "LifoQueue（后进先出）", look_for: "`2`、`1`、`0`：后进先出。", params: &[]
    },
    ExampleZh {
        id: "queue-priority",
        title: "PriorityQueue（优先级队列）",
        look_for: "`(1, 'python')`、`(2, '-')`、`(3, '100')`：值最小的先出。",
        params: &[],
    },
    ExampleZh { id: "queue-simple", title: "SimpleQueue", look_for: "`0`、`1`、`2`。", params: &[] },
    ExampleZh {
        id: "queue-empty", title: "queue.Empty", look_for: "三个元素，然后是 `queue.Empty`。", params: &[]
    },
    ExampleZh {
        id: "queue-full",
        title: "queue.Full",
        look_for: "`queue.Full`（教程正文误写成了 Empty）。",
        params: &[],
    },
    ExampleZh {
        id: "queue-sizes", title: "qsize()、empty()、full()", look_for: "`1`、`True`、`True`。", params: &[]
    },
    ExampleZh {
        id: "queue-put-timeout",
        title: "put(timeout=...)",
        look_for: "超时后引发 `queue.Full`：总耗时表明它确实等待了。",
        params: &[("timeout", "超时时间（秒）")],
    },
    ExampleZh { id: "queue-put-nowait", title: "put_nowait()", look_for: "立即引发 `queue.Full`。", params: &[] },
    ExampleZh {
        id: "queue-get-timeout",
        title: "get(timeout=...)",
        look_for: "超时后引发 `queue.Empty`。",
        params: &[("timeout", "超时时间（秒）")],
    },
    ExampleZh { id: "queue-get-nowait", title: "get_nowait()", look_for: "立即引发 `queue.Empty`。", params: &[] },
    ExampleZh {
        id: "pitfall-race",
        title: "竞争条件",
        look_for: "fix 0：计数结果偏少，且每次少的数目都不同：一个线程读出计数器后，\
            另一个线程写入了新值，前者随后的写入又覆盖了后者的。fix 1（每次修改都加一把 Lock）\
            结果精确。GIL 打开时，这里只在语句之间切换线程（与 CPython 3.10+ 相同），\
            所以也一次都不会丢。",
        params: &[
            ("threads", "线程数"),
            ("increments", "每个线程加 1 的次数"),
            ("fix", "修正（0 不修正，1 加一把 Lock）"),
        ],
    },
    ExampleZh {
        id: "pitfall-deadlock",
        title: "死锁",
        look_for: "fix 0：A 锁住记录 1 并等待记录 2，B 正好相反；页面检测到死锁，并画出谁在等谁；\
            Stop 可结束运行。fix 1（统一的加锁顺序）和 fix 2（超时后退让）都能完成。processes \
            设为 1 时，同样的事发生在两个进程之间（用 multiprocessing 的锁），画法也相同。",
        params: &[("fix", "修正（0 不修正，1 统一加锁顺序，2 超时）"), ("processes", "A 和 B 是（0 线程，1 进程）")],
    },
    ExampleZh {
        id: "pitfall-livelock",
        title: "活锁",
        look_for: "fix 0：A 和 B 各自拿到自己的记录，发现对方的已被占用，便交还自己的再重试，\
            步调一致：尝试次数不断攀升（每 25 次打印一行），却一笔转账也没完成，\
            而两者都没有被阻塞。Stop 可结束运行（或到 give_up 次后放弃）。fix 1（每次尝试前随机等\
            待）几次之内就能让其中一个通过。",
        params: &[("fix", "修正（0 不修正，1 随机退避）"), ("give_up", "尝试多少次后放弃（0 表示永不放弃）")],
    },
    ExampleZh {
        id: "pitfall-starvation",
        title: "饥饿",
        look_for: "fix 0：在不公平的 Lock 上，贪婪线程一释放就立刻再次请求，\
            拿走了大部分机会（这里在 Chromium 中约四次中有三次），礼让的线程只能等待（见时间线）。\
            fix 1（公平的、先来先得的锁）让两者大致平分。",
        params: &[("seconds", "运行时长（秒）"), ("fix", "修正（0 不公平的 Lock，1 公平锁）")],
    },
    ExampleZh {
        id: "gil",
        title: "GIL，跑起来看",
        look_for: "GIL 打开时，2 个和 4 个线程的耗时与 1 个相同（约 1.0 倍）：\
            时间线上同一时刻只有一个线程在运行，其他线程都在等待 GIL。关闭 GIL 后，2 \
            个线程在两个核上更快（这里约 1.6-1.7 倍），4 个线程并不比 2 个快。",
        params: &[("steps", "工作步数")],
    },
    ExampleZh {
        id: "io-bound",
        title: "等待型任务：线程同样胜出",
        look_for: "线程完成这些下载（sleep）比逐个执行快约 n 倍，无论 GIL 开还是关：\
            等待中的线程会释放 GIL。进程也能让它们重叠，但要付出启动的代价。",
        params: &[("downloads", "下载次数"), ("sleep", "每次下载（秒）")],
    },
];

/// Where the tutorial's text is wrong: example id -> (English note, Chinese note).
pub(crate) const TUTORIAL_ERRATA: &[(&str, &str, &str)] = &[
    (
        "daemon-false",
        "The output is cut short after `i=0`: `i=1` and `i=2` come too, a second apart, and only \
        then does the program end (that is what daemon=False means).",
        "输出在 `i=0` 之后就断了：`i=1` 和 `i=2` 也会出现，每隔一秒一行，之后程序才结束（这正是 \
        daemon=False 的含义）。",
    ),
    (
        "daemon-true",
        "The output shows `i=1` and `i=2` after `Main thread Exit` only because it ran in Jupyter, \
        whose kernel process lives on after the cell. Run as a program, the process ends when the \
        main thread, its last non-daemon thread, ends, and the daemon thread stops with it: those \
        two lines never come.",
        "输出中 `Main thread Exit` 之后还有 `i=1` 和 `i=2`，只是因为它在 Jupyter 中运行，\
        内核进程在单元格结束后仍然存活。作为程序运行时，最后一个非守护线程（主线程）一结束，\
        进程就结束，守护线程随之终止：这两行不会出现。",
    ),
    (
        "daemon-none",
        "As with daemon=True, the `【bar】` lines after `Main Thread Exit.` are Jupyter's kernel \
        living on. Run as a program, foo and every bar thread are daemons, so they all stop when \
        the main thread ends after its time.sleep(2).",
        "与 daemon=True 一样，`Main Thread Exit.` 之后的 `【bar】` 行来自仍在运行的 Jupyter 内核。\
        作为程序运行时，foo 和所有 bar 线程都是守护线程，主线程 time.sleep(2) 后结束，\
        它们也随之全部终止。",
    ),
    (
        "thread-join",
        "The printed output cannot come from this code: `t.join()` makes the main thread wait \
        until job() has printed all ten `hello world`, so `==end==` is the last line, not the \
        second. In the text, \"直至被调用进程终止\" means the thread being joined, not a process.",
        "所印输出不可能出自这段代码：`t.join()` 让主线程一直等到 job() 打印完全部十行 \
        `hello world`，所以 `==end==` 是最后一行，而不是第二行。正文中“直至被调用进程终止”指的是被 \
        join 的线程，而不是进程。",
    ),
    (
        "thread-local-args",
        "This cell is Python 2 (`print x, y` and `xrange`) and was never run (In [None]): Python 3 \
        rejects the print statement with a SyntaxError, and has no `xrange`. In Python 3: \
        `print(threading.current_thread().getName(), num)` and `range(1000)`.",
        "这个单元格是 Python 2 代码（`print x, y` 和 `xrange`），也从未运行过（In [None]）：\
        Python 3 会因 print 语句报 SyntaxError，也没有 `xrange`。Python 3 的写法是 \
        `print(threading.current_thread().getName(), num)` 和 `range(1000)`。",
    ),
    (
        "thread-local",
        "This cell is Python 2 (`print x, y` and `xrange`) and was never run (In [None]): Python 3 \
        rejects the print statement with a SyntaxError, and has no `xrange`. In Python 3: \
        `print(threading.current_thread().getName(), num)` and `range(1000)`.",
        "这个单元格是 Python 2 代码（`print x, y` 和 `xrange`），也从未运行过（In [None]）：\
        Python 3 会因 print 语句报 SyntaxError，也没有 `xrange`。Python 3 的写法是 \
        `print(threading.current_thread().getName(), num)` 和 `range(1000)`。",
    ),
    (
        "pool-methods",
        "Checked against CPython's multiprocessing.pool.Pool: (1) starmap blocks until every \
        result is ready, like map: its Blocking is yes, not no. (2) `stamap_async` is a typo for \
        starmap_async. (3) starmap_async's results come in the order of the input, like \
        map_async's: its Ordered-results is yes, not no. (4) The table leaves out imap (a lazy \
        iterator, results in input order) and imap_unordered (results as they finish), both one \
        argument per item; and close() (accept no more tasks), terminate() (stop the workers at \
        once) and join() (wait for the workers to exit; only after close() or terminate()).",
        "对照 CPython 的 multiprocessing.pool.Pool：（1）starmap 与 map 一样，阻塞到所有结果就绪：\
        Blocking 应为 yes，而非 no。（2）`stamap_async` 是 starmap_async 的笔误。（3）\
        starmap_async 的结果与 map_async 一样按输入顺序排列：Ordered-results 应为 yes，而非 no。\
        （4）表中漏了 imap（惰性迭代器，结果按输入顺序）和 imap_unordered（结果按完成先后），\
        二者每项都只传一个参数；还漏了 close()（不再接受新任务）、terminate()（立即停止工作进程）\
        和 join()（等待工作进程退出，须在 close() 或 terminate() 之后调用）。",
    ),
    (
        "pool-errors",
        "When one item of a map_async raises, the other items are not stopped: they all still run, \
        but get() then raises the first exception and returns none of the results (error_callback \
        is called once, with that exception).",
        "map_async 中某一项抛出异常时，其他项并不会停止：它们照样全部执行，但之后 get() \
        会抛出第一个异常，一个结果也不返回（error_callback 只调用一次，参数就是这个异常）。",
    ),
    (
        "pool-callback-main",
        "The output shown, `TypeError: apply() got an unexpected keyword argument 'callback'`, \
        does not come from this code. It is what `p.apply(b, args=(i,), callback=a)` raises: \
        `apply(func, args=(), kwds={})` blocks and has no callback parameter. The cell as printed \
        calls `apply_async`, which takes `callback=` and calls it in the main process with each \
        result: it runs, printing `this is a start`, the number and `this is a stop` ten times.",
        "所示输出 `TypeError: apply() got an unexpected keyword argument 'callback'` \
        并非这段代码的结果，而是 `p.apply(b, args=(i,), callback=a)` 引发的：\
        `apply(func, args=(), kwds={})` 是阻塞的，没有 callback 参数。单元格中印出的代码调用的是 \
        `apply_async`，它接受 `callback=`，并在主进程中用每个结果调用回调：代码能正常运行，\
        十次打印 `this is a start`、数字和 `this is a stop`。",
    ),
    (
        "pool-apply-vs-async",
        "Pool(4) starts 4 worker processes: the comments' \"thread pool, at most 5 threads\" \
        (线程池中最大线程数量为5) is wrong on both counts. apply does not wait for a process to \
        exit: it waits for the task to return, and the same four workers run the next tasks (the \
        pids repeat). `\"mark\"+str(id)` passes the built-in function id, not a number: no \
        variable is named id.",
        "Pool(4) 启动的是 4 个工作进程：注释“设置线程池中最大线程数量为5”两处都错了。apply \
        并不等待进程退出，而是等待任务返回，后面的任务仍由这四个工作进程执行（pid 重复出现）。\
        `\"mark\"+str(id)` 传入的是内置函数 id，而不是编号：并没有名为 id 的变量。",
    ),
    (
        "pool-apply-async-get",
        "The comment says thread pool (线程池): Pool is a pool of processes (进程池).",
        "注释中的“线程池”应为“进程池”：Pool 是由进程组成的池。",
    ),
    (
        "pool-map",
        "The text says map \"is asynchronous by default and comes with .close() and .join()\". \
        Neither is so: map blocks until every result is in (map_async is the asynchronous one), \
        and it neither closes nor joins the pool; the workers stay until close() or terminate() \
        and join(), or the end of a `with Pool(...)` block (which calls terminate()).",
        "正文说 map“默认异步调用，然后自带 .close() 和 .join() 方法”，两点都不对：map \
        会阻塞到所有结果都返回（异步的是 map_async），也不会关闭或 join 进程池；工作进程一直存在，\
        直到调用 close() 或 terminate() 再 join()，或离开 `with Pool(...)` 块（此时会调用 \
        terminate()）。",
    ),
    (
        "ipc-job-sum",
        "The first two lines of the output (`249833583000` twice) are not printed by this code, \
        which prints only the sum (each process's part is indeed 249833583000).",
        "输出的前两行（两次 `249833583000`）并不是这段代码打印的，它只打印总和（每个进程算出的部分\
        确实是 249833583000）。",
    ),
    (
        "queue-full",
        "The text above the cell says that putting into a full queue raises queue.Empty. It raises \
        queue.Full, as the cell's own comment and except clause say; queue.Empty is what get() \
        raises on an empty queue.",
        "单元格上方的正文说，队列已满时继续放入数据会引发 queue.Empty 异常。实际引发的是 \
        queue.Full，单元格自己的注释和 except 子句写的也是它；queue.Empty 是对空队列调用 get() \
        时引发的。",
    ),
    (
        "pitfall-race",
        "The tutorial's 稀缺环境 (\"scarce environment\") is a mistranslation of race condition, \
        whose usual Chinese names are 竞争条件 and 竞态条件.",
        "教程中的“稀缺环境”是 race condition 的误译，通常译作“竞争条件”或“竞态条件”。",
    ),
    (
        "gil",
        "\"GIL有效的在编译水平串行化了指令\" puts the GIL at the compilation level; it works while \
        the program runs, in the interpreter: a thread must hold it to execute bytecode.",
        "“GIL有效的在编译水平串行化了指令”把 GIL 说成在编译层面起作用；实际上它在程序运行时、\
        在解释器中起作用：线程必须持有 GIL 才能执行字节码。",
    ),
];

/// The Python tab's notes on lines it changed from the tutorial (`changes` in
/// src/examples/python.rs, listed under the editor): English note -> Chinese note.
pub(crate) const PYTHON_CHANGES_ZH: &[(&str, &str)] = &[
    ("Python 3: the tutorial's `print x, y` is Python 2", "Python 3：教程中的 `print x, y` 是 Python 2 的写法"),
    ("Python 3: the tutorial's `xrange` is Python 2", "Python 3：教程中的 `xrange` 是 Python 2 的写法"),
];
