// Command harness is make bench's measuring and reporting program (see
// bench/README.md and bench/run.sh).
//
//	harness startup -app BIN -minimal BIN -data DIR -rounds N -out FILE
//	harness report -run DIR -out bench/RESULTS.md
//
// startup runs the app (built with -tags benchprobe) against the plain
// form (minimal -form) and the one-label window (minimal) under X, in
// pairs whose order alternates: round r runs app then baseline when r is
// even and baseline then app when it is odd, for each baseline, cold (a
// fresh HOME, XDG and Mesa shader cache per run) and then warm (one set
// every program used once before). The app runs as the demo (--demo,
// what make run opens); a third pair per round runs it as a station
// ("station": a policy like the demo's with demo = false, so the sign-in
// page lacks the demo's hint line and outbox link) against the plain
// form. Each run is timed twice: in-process by bench/probe at the first buffer swap, and from outside by
// bench/xdamage.py at the first drawing the X server sees in the window;
// the probe also gives the memory at that moment. Then each program runs
// with GODEBUG=inittrace=1 for its package init time. Every run is one
// JSON line in -out.
//
// report reads what run.sh left in -run and prints one table, each row
// with its goal and whether it was met, and writes it to -out.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/bench/launch"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: harness startup|report [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "startup":
		err = startup(os.Args[2:])
	case "report":
		err = report(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "harness:", err)
		os.Exit(1)
	}
}

// Sample is one start of one program.
type Sample struct {
	Group string `json:"group"` // cold, warm or init
	Round int    `json:"round"`
	Pair  string `json:"pair"` // the pair's kind: form, label (the demo against that baseline) or station (against the plain form)
	Prog  string `json:"prog"` // app, station, form or label
	// FrameMS is the probe's time to the first swap (0: it did not
	// report); ExtMS is the X server's first drawing in the window.
	FrameMS float64 `json:"frame_ms"`
	ExtMS   float64 `json:"ext_ms"`
	PeakKB  int64   `json:"peak_kb"`
	AnonKB  int64   `json:"anon_kb"`
	// InitMS is the sum of inittrace's clock times (group init), InitTop
	// the three slowest packages.
	InitMS  float64 `json:"init_ms,omitempty"`
	InitTop string  `json:"init_top,omitempty"`
}

// launcher starts the programs.
type launcher struct {
	progs   map[string][]string
	xdamage string
	tmp     string
	out     *os.File
}

func startup(args []string) error {
	fs := flag.NewFlagSet("startup", flag.ExitOnError)
	appBin := fs.String("app", "", "the app, built with -tags benchprobe")
	minBin := fs.String("minimal", "", "bench/minimal, built with -tags benchprobe")
	data := fs.String("data", "", "the app's data dir")
	rounds := fs.Int("rounds", 10, "pairs per baseline, cold and warm")
	initRuns := fs.Int("init-runs", 3, "GODEBUG=inittrace=1 runs per program")
	out := fs.String("out", "", "append samples here (JSON lines)")
	xdamage := fs.String("xdamage", "bench/xdamage.py", "the X DAMAGE watcher")
	fs.Parse(args)
	if *appBin == "" || *minBin == "" || *data == "" || *out == "" {
		return errors.New("startup: -app, -minimal, -data and -out are required")
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	tmp, err := os.MkdirTemp("", "securityinfo-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	station, err := stationPolicy(tmp)
	if err != nil {
		return err
	}
	l := &launcher{
		progs: map[string][]string{
			"app":     {*appBin, "--demo", "--data-dir", *data},
			"station": {*appBin, "--policy", station, "--data-dir", *data + "-station"},
			"form":    {*minBin, "-form"},
			"label":   {*minBin},
		},
		xdamage: *xdamage, tmp: tmp, out: f,
	}
	warm, err := l.home()
	if err != nil {
		return err
	}
	for _, p := range []string{"app", "station", "form", "label"} { // fills the warm caches (and the app's data dirs)
		if _, err := l.run(p, warm); err != nil {
			return err
		}
	}
	for _, group := range []string{"cold", "warm"} {
		for r := range *rounds {
			for i, pr := range pairKinds {
				base := pr.base
				order := []string{pr.prog, base}
				if (r+i)%2 == 1 {
					order[0], order[1] = base, pr.prog
				}
				for _, p := range order {
					env := warm
					if group == "cold" {
						if env, err = l.home(); err != nil {
							return err
						}
					}
					s, err := l.run(p, env)
					if err != nil {
						return err
					}
					s.Group, s.Round, s.Pair = group, r, pr.kind
					if err := l.record(s); err != nil {
						return err
					}
				}
			}
		}
	}
	for range *initRuns {
		for _, p := range []string{"app", "form", "label"} {
			s, err := l.run(p, append(warm, "GODEBUG=inittrace=1"))
			if err != nil {
				return err
			}
			s.Group = "init"
			if err := l.record(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// pairKinds are the comparisons made in every round: the demo against
// each baseline, the station against the plain form.
var pairKinds = []struct{ kind, prog, base string }{
	{"form", "app", "form"},
	{"label", "app", "label"},
	{"station", "station", "form"},
}

// stationPolicy writes the demo's policy with demo = false into dir: a
// station's start (a local store, the same methods), without what only
// the demo shows.
func stationPolicy(dir string) (string, error) {
	b, err := os.ReadFile("assets/default-policy.toml")
	if err != nil {
		return "", err
	}
	s := strings.Replace(string(b), "\ndemo = true\n", "\ndemo = false\n", 1)
	if s == string(b) {
		return "", errors.New("assets/default-policy.toml: no \"demo = true\" line to turn off")
	}
	p := filepath.Join(dir, "station.toml")
	return p, os.WriteFile(p, []byte(s), 0o600)
}

// home makes a fresh set of HOME, XDG and Mesa cache directories and
// returns the environment that uses them.
func (l *launcher) home() ([]string, error) {
	return launch.Home(l.tmp)
}

func (l *launcher) record(s Sample) error {
	fmt.Fprintf(os.Stderr, "  %-4s %-5s %-5s #%-2d probe %6.0f ms  X %6.0f ms  peak %4d MB  anon %4d MB  init %5.1f ms\n",
		s.Group, s.Pair, s.Prog, s.Round, s.FrameMS, s.ExtMS, s.PeakKB/1024, s.AnonKB/1024, s.InitMS)
	b, _ := json.Marshal(s)
	_, err := l.out.Write(append(b, '\n'))
	return err
}

var initLine = regexp.MustCompile(`(?m)^init (\S+) @[0-9.]+ ms, ([0-9.]+) ms clock`)

// run starts program p with env, waits for its first frame (seen by the
// X server, then reported by the probe), and kills it.
func (l *launcher) run(p string, env []string) (Sample, error) {
	s := Sample{Prog: p}
	probeFile := filepath.Join(l.tmp, "probe.json")
	os.Remove(probeFile)
	watch := exec.Command("/usr/bin/python3", l.xdamage)
	watchOut, err := watch.StdoutPipe()
	if err != nil {
		return s, err
	}
	if err := watch.Start(); err != nil {
		return s, err
	}
	defer func() { watch.Process.Kill(); watch.Wait() }()
	lines := make(chan string, 2)
	go func() {
		sc := bufio.NewScanner(watchOut)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if line := <-lines; line != "ready" {
		return s, fmt.Errorf("xdamage did not start (%q)", line)
	}

	var stderr strings.Builder
	cmd := exec.Command(l.progs[p][0], l.progs[p][1:]...)
	cmd.Stderr = &stderr
	t0 := time.Now()
	cmd.Env = append(env, "SECURITYINFO_BENCH_PROBE="+probeFile, "SECURITYINFO_BENCH_T0="+strconv.FormatInt(t0.UnixNano(), 10))
	if err := cmd.Start(); err != nil {
		return s, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	}()
	select {
	case line := <-lines:
		ns, err := strconv.ParseInt(line, 10, 64)
		if err != nil {
			return s, fmt.Errorf("xdamage said %q", line)
		}
		s.ExtMS = float64(ns-t0.UnixNano()) / 1e6
	case err := <-exited:
		return s, fmt.Errorf("%s exited before its first frame (%v): %s", p, err, stderr.String())
	case <-time.After(60 * time.Second):
		return s, fmt.Errorf("%s drew nothing in 60 s", p)
	}
	// The probe writes its line right after the swap's image is sent.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if b, err := os.ReadFile(probeFile); err == nil && len(b) > 0 && b[len(b)-1] == '\n' {
			if err := json.Unmarshal(b, &s); err != nil {
				return s, fmt.Errorf("probe: %w", err)
			}
			break
		}
	}
	cmd.Process.Kill()
	<-exited
	inits := initLine.FindAllStringSubmatch(stderr.String(), -1)
	for _, m := range inits {
		v, _ := strconv.ParseFloat(m[2], 64)
		s.InitMS += v
	}
	sort.Slice(inits, func(i, j int) bool {
		a, _ := strconv.ParseFloat(inits[i][2], 64)
		b, _ := strconv.ParseFloat(inits[j][2], 64)
		return a > b
	})
	var top []string
	for _, m := range inits[:min(3, len(inits))] {
		top = append(top, m[1]+" "+m[2]+" ms")
	}
	s.InitTop = strings.Join(top, ", ")
	return s, nil
}
