// Command measure times programs from outside, for bench/run.sh: how long
// a window takes to show its first painted frame under X (Xvfb), the
// process's peak memory up to then, and the wall time of admin commands.
// Every sample is appended to -out as one JSON object per line; the
// report (bench/report) takes medians and ratios.
//
//	measure frames   -app BIN -minimal BIN -data DIR -pairs 10 -out FILE
//	measure first    -app BIN -minimal BIN -pairs 5 -out FILE
//	measure scale    -app BIN -dirs 0=DIR,10000=DIR,... -rounds 10 -out FILE
//	measure cli      -app BIN -dirs 0=DIR,10000=DIR,... -runs 9 -out FILE
//	measure trace    -app BIN -minimal BIN -data DIR -runs 3 -tracedir DIR
//	measure median   -out FILE -group G -prog P    (prints the median ms)
//
// trace runs binaries built with bench/profile/wallclock.go.in (see
// bench/run.sh), warm and cold, each writing its UI thread's stack samples
// to -tracedir/GROUP-PROG.N.
//
// A first frame is seen when `xdotool search --onlyvisible --name` finds
// the window and `import -window` shows it painted: more than -colours
// distinct colours (an unpainted window is one flat colour). The time is
// taken when that screenshot has been read, from just before the process
// was started. Peak memory is /usr/bin/time's %M (maximum resident set, KB)
// of the process, which is killed as soon as its frame is seen, so it is the
// start-up peak.
//
// Cold runs get fresh HOME, XDG_* and Mesa shader cache directories each;
// warm runs share one set, used once by each program before measuring.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Sample is one measurement.
type Sample struct {
	Kind  string  `json:"kind"`  // "frame" or "cli"
	Group string  `json:"group"` // cold, warm, first, scale, cli
	Prog  string  `json:"prog"`  // app or minimal
	Size  int     `json:"size"`  // accounts in the data dir (scale, cli)
	Run   int     `json:"run"`   // index within the group
	MS    float64 `json:"ms"`    // first frame (frame) or wall time (cli)
	// VisibleMS is when the window was first found mapped (frame).
	VisibleMS float64 `json:"visible_ms,omitempty"`
	// BeforeMS is when the last check that saw no painted frame ended.
	BeforeMS float64 `json:"before_ms,omitempty"`
	RSSKB    int64   `json:"rss_kb"`
	// CPUMS is the process's user+system CPU time until it was killed.
	CPUMS float64 `json:"cpu_ms,omitempty"`
}

// Titles of the windows, as xdotool regular expressions.
const (
	appTitle     = "^Security Info.*Sign in$"
	minimalTitle = "^Minimal$"
)

var (
	colours  = flag.Int("colours", 8, "a frame is painted when it has more distinct colours than this")
	timeout  = flag.Duration("timeout", 30*time.Second, "give up on a window after this long")
	poll     = flag.Duration("poll", 5*time.Millisecond, "pause between checks")
	out      = flag.String("out", "", "append samples here (JSON lines)")
	appBin   = flag.String("app", "", "the app's binary")
	minBin   = flag.String("minimal", "", "the minimal window's binary")
	dataDir  = flag.String("data", "", "the app's data dir (frames)")
	pairs    = flag.Int("pairs", 10, "A B pairs per group (frames, first)")
	rounds   = flag.Int("rounds", 10, "rounds over the sizes (scale)")
	runs     = flag.Int("runs", 9, "runs per size (cli)")
	dirsFlag = flag.String("dirs", "", "SIZE=DIR,... (scale, cli)")
	tmpRoot  = flag.String("tmp", "", "where to make the per-run HOME and cache dirs")
	traceDir = flag.String("tracedir", "", "where trace writes its samples")
	group    = flag.String("group", "", "the group (median)")
	progName = flag.String("prog", "", "the program (median)")
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: measure frames|first|scale|cli [flags]")
		os.Exit(2)
	}
	cmd := os.Args[1]
	flag.CommandLine.Parse(os.Args[2:])
	if cmd == "median" {
		if err := printMedian(); err != nil {
			fmt.Fprintln(os.Stderr, "measure:", err)
			os.Exit(1)
		}
		return
	}
	if (*out == "" && cmd != "trace") || *appBin == "" {
		fmt.Fprintln(os.Stderr, "measure: -out and -app are required")
		os.Exit(2)
	}
	var err error
	switch cmd {
	case "trace":
		err = trace()
	case "frames":
		err = frames()
	case "first":
		err = first()
	case "scale":
		err = scale()
	case "cli":
		err = cli()
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
}

// record appends s to the output file and says it on stderr.
func record(s Sample) error {
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	b, _ := json.Marshal(s)
	if _, err := f.Write(append(b, '\n')); err != nil {
		return err
	}
	if s.Kind == "frame" {
		fmt.Fprintf(os.Stderr, "  %-5s %-7s size=%-6d #%-2d first frame %6.0f ms (visible %4.0f, not yet at %4.0f)  peak RSS %6d KB  CPU %4.0f ms\n",
			s.Group, s.Prog, s.Size, s.Run, s.MS, s.VisibleMS, s.BeforeMS, s.RSSKB, s.CPUMS)
	} else {
		fmt.Fprintf(os.Stderr, "  %-5s size=%-6d #%-2d %6.1f ms  peak RSS %6d KB\n", s.Group, s.Size, s.Run, s.MS, s.RSSKB)
	}
	return nil
}

// homeDirs is one set of HOME, XDG and Mesa cache directories.
type homeDirs struct{ root string }

func newHomeDirs(name string) (homeDirs, error) {
	root, err := os.MkdirTemp(*tmpRoot, name+"-")
	if err != nil {
		return homeDirs{}, err
	}
	for _, d := range []string{"home", "config", "cache", "data", "cache/mesa_shader_cache"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			return homeDirs{}, err
		}
	}
	return homeDirs{root}, nil
}

func (h homeDirs) remove() { os.RemoveAll(h.root) }

// env is the process environment with these directories: the same for
// both programs.
func (h homeDirs) env() []string {
	drop := map[string]bool{"HOME": true, "XDG_CONFIG_HOME": true, "XDG_CACHE_HOME": true, "XDG_DATA_HOME": true,
		"MESA_SHADER_CACHE_DIR": true, "MESA_GLSL_CACHE_DIR": true}
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !drop[k] {
			env = append(env, kv)
		}
	}
	return append(env,
		"HOME="+filepath.Join(h.root, "home"),
		"XDG_CONFIG_HOME="+filepath.Join(h.root, "config"),
		"XDG_CACHE_HOME="+filepath.Join(h.root, "cache"),
		"XDG_DATA_HOME="+filepath.Join(h.root, "data"),
		"MESA_SHADER_CACHE_DIR="+filepath.Join(h.root, "cache", "mesa_shader_cache"),
	)
}

// firstFrame starts bin with args and env, waits for its window titled
// title to be painted, kills it, and returns the sample.
func firstFrame(bin string, args []string, env []string, title string) (Sample, error) {
	rss, err := os.CreateTemp(*tmpRoot, "rss-")
	if err != nil {
		return Sample{}, err
	}
	rss.Close()
	defer os.Remove(rss.Name())
	logf, err := os.CreateTemp(*tmpRoot, "log-")
	if err != nil {
		return Sample{}, err
	}
	defer os.Remove(logf.Name())
	defer logf.Close()

	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M %U %S", "-o", rss.Name(), bin}, args...)...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Sample{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	ms := func() float64 { return float64(time.Since(start).Microseconds()) / 1000 }

	var s Sample
	var id string
	err = func() error {
		for {
			select {
			case err := <-exited:
				exited <- err
				return fmt.Errorf("%s exited before its first frame: %v", filepath.Base(bin), err)
			default:
			}
			if time.Since(start) > *timeout {
				return fmt.Errorf("%s: no painted window %q after %s", filepath.Base(bin), title, *timeout)
			}
			if id == "" {
				x := exec.Command("xdotool", "search", "--onlyvisible", "--name", title)
				// Window titles are read in the locale's charset: use one
				// that exists (the Makefile's en_US.UTF-8 may not).
				x.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
				o, _ := x.Output()
				if f := strings.Fields(string(o)); len(f) > 0 {
					id = f[0]
					s.VisibleMS = ms()
				}
			}
			if id != "" {
				n, err := paintedColours(id)
				if err == nil && n > *colours {
					s.MS = ms()
					return nil
				}
				s.BeforeMS = ms()
			}
			time.Sleep(*poll)
		}
	}()

	// Kill the program itself (time's child), so that time reports its
	// peak; then make sure nothing of the group is left.
	if pid := childOf(cmd.Process.Pid); pid > 0 {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
	if err != nil {
		log, _ := os.ReadFile(logf.Name())
		return s, fmt.Errorf("%w\n%s", err, clip(string(log), 1500))
	}
	b, _ := os.ReadFile(rss.Name())
	// The last line is "%M %U %S" (a line about the signal comes first).
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	f := strings.Fields(lines[len(lines)-1])
	if len(f) != 3 {
		return s, fmt.Errorf("/usr/bin/time wrote %q", b)
	}
	s.RSSKB, err = strconv.ParseInt(f[0], 10, 64)
	u, _ := strconv.ParseFloat(f[1], 64)
	sy, _ := strconv.ParseFloat(f[2], 64)
	s.CPUMS = (u + sy) * 1000
	return s, err
}

// childOf returns the first child process of pid, waiting briefly for it.
func childOf(pid int) int {
	for i := 0; i < 100; i++ {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
		if f := strings.Fields(string(b)); len(f) > 0 {
			n, _ := strconv.Atoi(f[0])
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
	return 0
}

// paintedColours screenshots the window and counts its distinct colours,
// stopping early once there are more than the threshold.
func paintedColours(id string) (int, error) {
	b, err := exec.Command("import", "-window", id, "-depth", "8", "rgb:-").Output()
	if err != nil {
		return 0, err
	}
	seen := map[uint32]struct{}{}
	for i := 0; i+2 < len(b); i += 3 {
		seen[uint32(b[i])<<16|uint32(b[i+1])<<8|uint32(b[i+2])] = struct{}{}
		if len(seen) > *colours {
			break
		}
	}
	return len(seen), nil
}

// clip keeps the start and the end of a long log.
func clip(s string, n int) string {
	if len(s) > 2*n {
		return s[:n] + "\n…\n" + s[len(s)-n:]
	}
	return s
}

type prog struct {
	name, bin, title string
	args             []string
}

func (p prog) run(h homeDirs) (Sample, error) {
	s, err := firstFrame(p.bin, p.args, h.env(), p.title)
	s.Kind, s.Prog = "frame", p.name
	return s, err
}

// frames runs the app and the minimal window alternately, cold and warm.
func frames() error {
	if *minBin == "" || *dataDir == "" {
		return errors.New("frames needs -minimal and -data")
	}
	progs := []prog{
		{"app", *appBin, appTitle, []string{"--data-dir", *dataDir}},
		{"minimal", *minBin, minimalTitle, nil},
	}
	warm, err := newHomeDirs("warm")
	if err != nil {
		return err
	}
	defer warm.remove()
	fmt.Fprintln(os.Stderr, "warming up (not measured): each program once")
	for _, p := range progs {
		if _, err := p.run(warm); err != nil {
			return err
		}
	}
	for _, group := range []string{"cold", "warm"} {
		fmt.Fprintf(os.Stderr, "%s: %d pairs, app then minimal\n", group, *pairs)
		for i := 0; i < *pairs; i++ {
			for _, p := range progs {
				h := warm
				if group == "cold" {
					if h, err = newHomeDirs("cold"); err != nil {
						return err
					}
				}
				s, err := p.run(h)
				if group == "cold" {
					h.remove()
				}
				if err != nil {
					return err
				}
				s.Group, s.Run = group, i
				if err := record(s); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// first runs the app on an empty data dir (its very first start: the demo
// account is created) with cold caches, paired with the minimal window.
func first() error {
	if *minBin == "" {
		return errors.New("first needs -minimal")
	}
	fmt.Fprintf(os.Stderr, "first start on an empty data dir, cold: %d pairs, app then minimal\n", *pairs)
	for i := 0; i < *pairs; i++ {
		for _, name := range []string{"app", "minimal"} {
			h, err := newHomeDirs("first")
			if err != nil {
				return err
			}
			p := prog{"minimal", *minBin, minimalTitle, nil}
			if name == "app" {
				p = prog{"app", *appBin, appTitle, []string{"--data-dir", filepath.Join(h.root, "datadir")}}
			}
			s, err := p.run(h)
			h.remove()
			if err != nil {
				return err
			}
			s.Group, s.Run = "first", i
			if err := record(s); err != nil {
				return err
			}
		}
	}
	return nil
}

func parseDirs() ([]int, map[int]string, error) {
	dirs := map[int]string{}
	var sizes []int
	for _, kv := range strings.Split(*dirsFlag, ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(k)
		if !ok || err != nil {
			return nil, nil, fmt.Errorf("bad -dirs entry %q", kv)
		}
		dirs[n] = v
		sizes = append(sizes, n)
	}
	sort.Ints(sizes)
	return sizes, dirs, nil
}

// scale starts the app (warm) on each populated directory in turn.
func scale() error {
	sizes, dirs, err := parseDirs()
	if err != nil {
		return err
	}
	warm, err := newHomeDirs("scale")
	if err != nil {
		return err
	}
	defer warm.remove()
	fmt.Fprintf(os.Stderr, "scale: warming up (not measured) on each size, then %d rounds over %v\n", *rounds, sizes)
	for r := -1; r < *rounds; r++ {
		for _, n := range sizes {
			p := prog{"app", *appBin, appTitle, []string{"--data-dir", dirs[n]}}
			s, err := p.run(warm)
			if err != nil {
				return err
			}
			if r < 0 {
				continue
			}
			s.Group, s.Size, s.Run = "scale", n, r
			if err := record(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// cli times `securityinfo --data-dir DIR user show NAME` on each size.
func cli() error {
	sizes, dirs, err := parseDirs()
	if err != nil {
		return err
	}
	h, err := newHomeDirs("cli")
	if err != nil {
		return err
	}
	defer h.remove()
	fmt.Fprintf(os.Stderr, "cli: user show, %d runs over %v (plus one unmeasured)\n", *runs, sizes)
	for r := -1; r < *runs; r++ {
		for _, n := range sizes {
			name := "demo@contoso.example"
			if n > 0 {
				name = fmt.Sprintf("user%06d@contoso.example", n/2)
			}
			cmd := exec.Command(*appBin, "--data-dir", dirs[n], "user", "show", name)
			cmd.Env = h.env()
			var errb strings.Builder
			cmd.Stderr = &errb
			start := time.Now()
			o, err := cmd.Output()
			ms := float64(time.Since(start).Microseconds()) / 1000
			if err != nil || !strings.Contains(string(o), name) {
				return fmt.Errorf("user show %s on %d accounts: %v\n%s%s", name, n, err, o, errb.String())
			}
			if r < 0 {
				continue
			}
			ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			s := Sample{Kind: "cli", Group: "cli", Prog: "user show", Size: n, Run: r, MS: ms}
			if ru != nil {
				s.RSSKB = ru.Maxrss
			}
			if err := record(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// trace runs the wallclock-instrumented programs, which sample their own
// UI thread and exit by themselves.
func trace() error {
	if *minBin == "" || *dataDir == "" || *traceDir == "" {
		return errors.New("trace needs -minimal, -data and -tracedir")
	}
	progs := []prog{
		{"app", *appBin, appTitle, []string{"--data-dir", *dataDir}},
		{"minimal", *minBin, minimalTitle, nil},
	}
	warm, err := newHomeDirs("trace-warm")
	if err != nil {
		return err
	}
	defer warm.remove()
	runOne := func(p prog, h homeDirs, file string) error {
		cmd := exec.Command(p.bin, p.args...)
		cmd.Env = append(h.env(), "SECURITYINFO_BENCH_WALLTRACE="+file, "SECURITYINFO_BENCH_PROFILE_MS=1200")
		b, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v\n%s", p.bin, err, clip(string(b), 1500))
		}
		return nil
	}
	fmt.Fprintf(os.Stderr, "trace: %d runs of each program, warm then cold\n", *runs)
	for _, p := range progs { // warm-up
		if err := runOne(p, warm, filepath.Join(*traceDir, "warmup-"+p.name)); err != nil {
			return err
		}
	}
	for _, grp := range []string{"warm", "cold"} {
		for i := 0; i < *runs; i++ {
			for _, p := range progs {
				h := warm
				if grp == "cold" {
					if h, err = newHomeDirs("trace-cold"); err != nil {
						return err
					}
				}
				err := runOne(p, h, filepath.Join(*traceDir, fmt.Sprintf("%s-%s.%d", grp, p.name, i)))
				if grp == "cold" {
					h.remove()
				}
				if err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// printMedian prints the median first frame of a group and program.
func printMedian() error {
	b, err := os.ReadFile(*out)
	if err != nil {
		return err
	}
	var xs []float64
	for _, l := range strings.Split(string(b), "\n") {
		var s Sample
		if json.Unmarshal([]byte(l), &s) == nil && s.Group == *group && s.Prog == *progName {
			xs = append(xs, s.MS)
		}
	}
	if len(xs) == 0 {
		return fmt.Errorf("no samples of %s %s", *group, *progName)
	}
	sort.Float64s(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + m) / 2
	}
	fmt.Printf("%.0f\n", m)
	return nil
}
