// Command ab compares start-ups of programs built with -tags benchprobe
// (the app before and after a change, or a baseline), for work on the
// first frame between two runs of make bench. It launches them as the
// harness does (bench/harness: a fresh HOME, XDG and Mesa shader cache
// per run with -cold, else one set that every program used once before)
// in rounds whose order rotates and reverses, and reads only the
// in-process probe (bench/probe): the first swap, peak RSS, anonymous
// RSS and the CPU time used by then. It prints each program's medians
// and the median of its per-round ratios against the first program.
//
// Run it under X with a keyring, as bench/ab.sh does:
//
//	bench/ab.sh [-rounds N] [-cold] 'before=OLD --demo --data-dir D1' 'after=NEW --demo --data-dir D2' 'form=MIN -form'
//
// Each argument is NAME=COMMAND (split at spaces). The CPU time varies
// far less than the wall time on a busy machine: with other work
// running, compare that first.
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
	"time"

	"github.com/securityinfo/securityinfo/bench/launch"
)

// result is the probe's line (bench/probe.Result).
type result struct {
	FrameMS float64 `json:"frame_ms"`
	PeakKB  int64   `json:"peak_kb"`
	AnonKB  int64   `json:"anon_kb"`
	CPUMS   float64 `json:"cpu_ms"`
}

func main() {
	rounds := flag.Int("rounds", 10, "rounds; each runs every program once")
	cold := flag.Bool("cold", false, "a fresh HOME, XDG and Mesa shader cache for every run")
	flag.Parse()
	if err := run(*rounds, *cold, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "ab:", err)
		os.Exit(1)
	}
}

func run(rounds int, cold bool, args []string) error {
	var names []string
	progs := map[string][]string{}
	for _, a := range args {
		name, cmd, ok := strings.Cut(a, "=")
		if !ok || len(strings.Fields(cmd)) == 0 || progs[name] != nil {
			return fmt.Errorf("%q: want a new NAME=COMMAND", a)
		}
		names = append(names, name)
		progs[name] = strings.Fields(cmd)
	}
	if len(names) < 2 {
		return errors.New("give at least two programs")
	}
	tmp, err := os.MkdirTemp("", "securityinfo-ab-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	warm, err := home(tmp)
	if err != nil {
		return err
	}
	for _, n := range names { // fills the warm caches (and the data dirs)
		if _, err := start(tmp, progs[n], warm); err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	got := map[string][]result{}
	for r := range rounds {
		for i := range names {
			// Rotated, and reversed every other round: each program
			// runs before and after each other one.
			n := names[(i+r)%len(names)]
			if r%2 == 1 {
				n = names[(len(names)-1-i+r)%len(names)]
			}
			env := warm
			if cold {
				if env, err = home(tmp); err != nil {
					return err
				}
			}
			x, err := start(tmp, progs[n], env)
			if err != nil {
				return fmt.Errorf("%s: %w", n, err)
			}
			got[n] = append(got[n], x)
			fmt.Fprintf(os.Stderr, "round %2d %-12s frame %6.1f ms  cpu %6.1f ms  peak %6.1f MB  anon %5.1f MB\n",
				r, n, x.FrameMS, x.CPUMS, float64(x.PeakKB)/1024, float64(x.AnonKB)/1024)
		}
	}
	ref := names[0]
	fmt.Printf("%d rounds, %s; ratios: the median of the rounds' NAME/%s (interquartile range)\n", rounds, map[bool]string{true: "cold", false: "warm"}[cold], ref)
	fmt.Printf("%-12s %9s %9s %8s %8s | %-20s %-20s %6s %6s\n", "program", "frame ms", "cpu ms", "peak MB", "anon MB", "frame ratio", "cpu ratio", "peak", "anon")
	for _, n := range names {
		var frame, cpu, peak, anon, rFrame, rCPU, rPeak, rAnon []float64
		for i, x := range got[n] {
			b := got[ref][i]
			frame, cpu = append(frame, x.FrameMS), append(cpu, x.CPUMS)
			peak, anon = append(peak, float64(x.PeakKB)/1024), append(anon, float64(x.AnonKB)/1024)
			rFrame, rCPU = append(rFrame, x.FrameMS/b.FrameMS), append(rCPU, x.CPUMS/b.CPUMS)
			rPeak, rAnon = append(rPeak, float64(x.PeakKB)/float64(b.PeakKB)), append(rAnon, float64(x.AnonKB)/float64(b.AnonKB))
		}
		iqr := func(v []float64) string {
			return fmt.Sprintf("%.3f (%.3f–%.3f)", quantile(v, .5), quantile(v, .25), quantile(v, .75))
		}
		fmt.Printf("%-12s %9.1f %9.1f %8.1f %8.1f | %-20s %-20s %6.3f %6.3f\n", n, quantile(frame, .5), quantile(cpu, .5),
			quantile(peak, .5), quantile(anon, .5), iqr(rFrame), iqr(rCPU), quantile(rPeak, .5), quantile(rAnon, .5))
	}
	return nil
}

// home makes a fresh set of HOME, XDG and Mesa cache directories under
// dir and returns the environment that uses them (as bench/harness does).
func home(dir string) ([]string, error) {
	return launch.Home(dir)
}

// start runs argv with env until its probe line arrives, then kills it.
func start(dir string, argv, env []string) (result, error) {
	var r result
	probe := filepath.Join(dir, "probe.json")
	os.Remove(probe)
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	cmd.Env = append(env, "SECURITYINFO_BENCH_PROBE="+probe, "SECURITYINFO_BENCH_T0="+strconv.FormatInt(t0.UnixNano(), 10))
	if err := cmd.Start(); err != nil {
		return r, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill()
		<-exited
	}()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		select {
		case err := <-exited:
			exited <- err // for the deferred wait
			return r, fmt.Errorf("exited before its first frame (%v): %s", err, stderr.String())
		case <-time.After(2 * time.Millisecond):
		}
		if b, err := os.ReadFile(probe); err == nil && len(b) > 0 && b[len(b)-1] == '\n' {
			if err := json.Unmarshal(b, &r); err != nil {
				return r, fmt.Errorf("probe: %w", err)
			}
			return r, nil
		}
	}
	return r, errors.New("no first frame in 60 s (built without -tags benchprobe?)")
}

// quantile returns the q-quantile of v (nearest rank).
func quantile(v []float64, q float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1)+0.5)]
}
