#!/usr/bin/env python3
"""perf-classify.py PERF.data [top]: where the proxy's CPU goes, from `perf script` call stacks.

Each sample is attributed once: kernel samples to the system call they are in (or to interrupts/preemption);
user samples to the first frame, from the leaf up, that is not a generic helper (casts, string/buffer copies, the
runtime's native code), matched against component patterns. Also prints the top managed methods, exclusive and
inclusive, as a % of all the proxy's samples, and the inclusive share of chosen ProxyLayer steps.

Run the proxy with DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 and record with
`perf record -F 1999 -g -p PID -- sleep 20`; see benchmarks/PROFILE.md.
"""
import re
import subprocess
import sys
from collections import Counter

data = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25

SYSCALLS = [
    ('sendto', 'kernel: send() incl. loopback TCP delivery, waking the receiver, preemption at exit'),
    ('recvfrom', 'kernel: recv() incl. preemption at exit'),
    ('epoll_wait', 'kernel: epoll_wait (event thread blocking/waking)'),
    ('sched_yield', 'kernel: sched_yield (thread-pool spin-waiting)'),
    ('futex', 'kernel: futex (waking/parking threads)'),
    ('poll', 'kernel: poll() liveness check of pooled connection'),
]
CHURN = ('connect', 'socket', 'close', 'shutdown', 'setsockopt', 'getsockopt', 'accept4', 'bind', 'getsockname', 'getpeername')

COMPONENTS = [
    (r'ProxyLayer\.Routing\.(QueryDigest|DigestWriter|SpookyHash)', 'session: query digest'),
    (r'StatementClassifier|SetStatementParser|QueryCommandClassifier', 'session: StatementClassifier / command classification'),
    (r'QueryRuleSet|CompiledQueryRule|System\.Text\.RegularExpressions|QueryAnnotations|EvaluateRules|StatementPlan|Regex', 'session: rule evaluation + annotations'),
    (r'ProxyLayer\.Stats\.', 'session: stats recording'),
    (r'IsPeerClosedOrUnexpectedData|IsUsableAfterIdle', 'pool: liveness poll (managed side)'),
    (r'BackendConnectionProvider|BackendServer[:.]|ServerSelector|HostgroupSnapshot|BackendPoolKey|PickServer|ReleaseBackend|MaybeRelease|TryPool', 'pool: backend acquire/release'),
    (r'BackendConnector|BackendPoolMaintenance|ChangeUser', 'pool: connect/login/trim (churn)'),
    (r'StateSynchronizer|ClosePendingStatements|SessionState', 'session: state sync'),
    (r'ResponseRelay', 'relay: response relay (packet walk)'),
    (r'PacketChannel|PacketFramer|PayloadWriter|PayloadReader|OkPacket', 'framing: PacketChannel/PacketFramer'),
    (r'System\.IO\.Pipelines', 'pipelines: StreamPipeReader/Writer'),
    (r'System\.Net\.Sockets|SocketPal|SystemNative_|Interop\+Sys|NetworkStream|__send|__libc_recv|__poll|epoll_wait|IL_STUB_PInvoke|libSystem\.Native', 'sockets: .NET Sockets + libc wrappers'),
    (r'LowLevelLifoSemaphore|PortableThreadPool|ThreadPoolWorkQueue|WorkerThread|__sched_yield|SpinWait|Thread\.Yield|ThreadPool', 'thread pool: dispatch, spin, wake'),
    (r'System\.Text\.Encoding|UTF8|Utf8', 'session: query decode to string'),
    (r'Logger|Microsoft\.Extensions\.Logging', 'logging'),
    (r'QueryTimeout|TimerQueue|System\.Threading\.Timer', 'session: query-timeout timer'),
    (r'ProxyLayer\.Monitor', 'monitor'),
    (r'ProxyLayer\.Sessions\.ClientSession|ProxyLayer\.Sessions\.', 'session: ClientSession logic (other)'),
    (r'ProxyLayer', 'ProxyLayer other'),
    (r'AsyncTaskMethodBuilder|AsyncStateMachineBox|ExecutionContext|System\.Threading\.Tasks|TaskAwaiter|ValueTask|ManualResetValueTaskSourceCore|AwaitTaskContinuation|AsyncMethodBuilderCore', 'async/await machinery'),
]
GENERIC = re.compile(r'CastHelpers|System\.String[:.]|SpanHelpers|Buffer[:.]Memmove|memmove|memcpy|memset|__memset|__memmove|__memcpy|'
                     r'libcoreclr|\[unknown\]|JIT_|stub |Stub|libclrjit|ld-linux|__tls_get_addr|System\.Runtime\.CompilerServices\.RuntimeHelpers|'
                     r'ArrayPool|SharedArrayPool|System\.Collections|Interlocked|System\.Threading\.Lock|Monitor\.|Volatile|Math\.|Nullable|'
                     r'System\.Memory|ReadOnlySequence|SequenceReader|System\.Buffers\.BuffersExtensions|Span`1|Memory`1|BinaryPrimitives|clock_gettime|vdso')

def frame_name(line):
    # "    addr sym+off (dso)"
    m = re.match(r'\s*[0-9a-f]+\s+(.*)\s+\((.*)\)\s*$', line)
    if not m:
        return line.strip(), ''
    sym, dso = m.group(1), m.group(2)
    sym = re.sub(r'\+0x[0-9a-f]+$', '', sym)
    if sym == '[unknown]':
        sym = '[unknown] ' + dso.rsplit('/', 1)[-1]
    return sym, dso

def short(sym):
    m = re.search(r'AsyncStateMachineBox`1\[.*?([A-Za-z]+\+<\w+>d__\d+)', sym)
    if m:
        return f'AsyncStateMachineBox<{m.group(1)}>::MoveNext()'
    s = re.sub(r'\[(System[^\]]*|proxylayer|ProxyLayer\.Protocol|Microsoft[^\]]*)\] ', '', sym)
    s = re.sub(r'^(instance |class |valuetype )+', '', s)
    s = re.sub(r'\(.*\)', '()', s)
    s = re.sub(r'\[(OptimizedTier1|Optimized|Tier0|Tier1|QuickJitted|PreJIT|OptimizedTier1OSR|Instrumented[^\]]*)\]', '', s)
    return s[:150]

proc = subprocess.run(['perf', 'script', '-i', data, '-F', 'comm,tid,ip,sym,dso'], capture_output=True, text=True)
samples = []
cur = None
for line in proc.stdout.splitlines():
    if not line.strip():
        if cur is not None:
            samples.append(cur)
        cur = None
        continue
    if cur is None:
        cur = []
        continue
    cur.append(frame_name(line))
if cur:
    samples.append(cur)

total = len(samples)
cats = Counter()
excl = Counter()
incl = Counter()
leaf_kind = Counter()
for frames in samples:
    if not frames:
        continue
    leaf_sym, leaf_dso = frames[0]
    names = [f[0] for f in frames]
    if 'kallsyms' in leaf_dso:
        leaf_kind['kernel'] += 1
        sysname = None
        for n in names:
            m = re.match(r'__(?:x64|se|do)_sys_(\w+)', n)
            if m:
                sysname = m.group(1)
                break
        if sysname is None:
            # returning from a system call (preempted at exit, often by the thread the call just woke): the libc wrapper names it
            wrappers = {'__send': 'sendto', '__libc_recv': 'recvfrom', '__poll': 'poll', 'epoll_wait': 'epoll_wait', '__sched_yield': 'sched_yield'}
            sysname = next((wrappers[n] for n in names if n in wrappers), None)
        if sysname is None:
            cat = 'kernel: interrupts, preemption, scheduling outside syscalls'
        else:
            cat = next((c for s, c in SYSCALLS if s == sysname), None)
            if cat is None:
                cat = 'kernel: connect/close/sockopt (pool churn, monitor)' if sysname in CHURN else f'kernel: other syscalls'
        cats[cat] += 1
    else:
        if 'libcoreclr' in leaf_dso:
            leaf_kind['CLR runtime native (libcoreclr: GC, allocation, stubs, native thread pool)'] += 1
        elif 'libclrjit' in leaf_dso:
            leaf_kind['JIT compiler'] += 1
        elif 'libc' in leaf_dso or 'libSystem.Native' in leaf_dso:
            leaf_kind['libc / System.Native'] += 1
        else:
            leaf_kind['other user code (JIT-compiled .NET, or a native program itself)'] += 1
        cat = None
        for n in names:
            if GENERIC.search(n):
                continue
            for pattern, c in COMPONENTS:
                if re.search(pattern, n):
                    cat = c
                    break
            if cat:
                break
        if cat is None:
            cat = 'CLR runtime native / unresolved (GC, stubs, R2R)' if any('libcoreclr' in f[1] or 'unknown' in f[0] for f in frames[:1]) else 'unresolved other'
        cats[cat] += 1
    # managed methods (perf map)
    seen = set()
    for i, (n, dso) in enumerate(frames):
        if 'perf-' not in dso:
            continue
        s = short(n)
        if i == 0:
            excl[s] += 1
        if s not in seen:
            incl[s] += 1
            seen.add(s)

print(f'{total} samples')
print('\n## by leaf (what executed)')
for k, v in leaf_kind.most_common():
    print(f'{100.0 * v / total:6.1f}%  {k}')
print('\n## by component (each sample once; kernel by system call)')
for k, v in cats.most_common():
    print(f'{100.0 * v / total:6.1f}%  {k}')
print(f'\n## top {top} managed methods, exclusive (% of all proxy samples)')
for k, v in excl.most_common(top):
    print(f'{100.0 * v / total:6.2f}%  {k}')
print(f'\n## top {top} managed methods, inclusive (% of all proxy samples)')
for k, v in incl.most_common(top):
    print(f'{100.0 * v / total:6.2f}%  {k}')

FIND = [
    ('query decode (UTF8 GetString in QueryAsync)', r'Encoding|GetString'),
    ('StatementClassifier.Classify', r'StatementClassifier::Classify'),
    ('PlanStatement (rules + annotations)', r'PlanStatement'),
    ('  EvaluateRules / QueryRuleSet.Evaluate', r'EvaluateRules|QueryRuleSet::Evaluate'),
    ('  Regex (compiled) matching', r'Regex'),
    ('QueryDigest.Compute', r'QueryDigest::Compute'),
    ('QueryStatistics.Record (stats + digest table)', r'QueryStatistics::Record'),
    ('EnsureBackendAsync (acquire + sync)', r'EnsureBackendAsync'),
    ('  BackendConnectionProvider.GetAsync', r'BackendConnectionProvider\+<GetAsync>'),
    ('  IsPeerClosedOrUnexpectedData (poll)', r'IsPeerClosedOrUnexpectedData'),
    ('  StateSynchronizer.SyncAsync', r'StateSynchronizer'),
    ('  ClosePendingStatementsAsync', r'ClosePendingStatements'),
    ('ReleaseBackend / Provider.Release / TryPool', r'ReleaseBackend|BackendConnectionProvider::Release|TryPool|TryReturnIdle'),
    ('QueryTimeout.Arm / Disarm (timer)', r'QueryTimeout'),
    ('ResponseRelay (RelayAsync incl. awaits)', r'ResponseRelay\+<RelayAsync>'),
    ('ResponseRelay.Pump (packet walk)', r'ResponseRelay::Pump'),
    ('PacketChannel.ReadPayloadAsync (client read)', r'PacketChannel\+<ReadPayloadAsync>'),
    ('StreamPipeWriter.FlushAsync (sends)', r'StreamPipeWriter\+<FlushAsyncInternal>|StreamPipeWriter::FlushAsync'),
    ('AfterResponse', r'ClientSession::AfterResponse'),
    ('logging', r'Logger|Logging'),
    ('AdaptStatementCommandAsync (prepared)', r'AdaptStatementCommand'),
    ('thread pool LowLevelLifoSemaphore.Wait (spin+sleep)', r'LowLevelLifoSemaphore'),
]
print('\n## inclusive share of chosen methods (% of all proxy samples; includes the kernel time beneath them)')
for label, pattern in FIND:
    rx = re.compile(pattern)
    n = 0
    for frames in samples:
        if any(rx.search(f[0]) for f in frames if 'perf-' in f[1]):
            n += 1
    print(f'{100.0 * n / total:6.2f}%  {label}')
