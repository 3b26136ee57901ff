// Package probe reports a Fyne program's first frame from inside it, for
// make bench. Only files built with the benchprobe tag import it
// (probe_benchprobe.go in the app's package main, and bench/minimal's), so
// the release build does not contain it.
//
// With SECURITYINFO_BENCH_PROBE=FILE in the environment, it appends one
// JSON line to FILE when the app's Lifecycle OnStarted hook runs: the
// GLFW driver calls it right after the window's first paint and buffer
// swap (window.Show paints and swaps; Run then starts the event loop and
// calls OnStarted first); a started hook the program set is kept and
// called after the line is written. The line holds the time since
// SECURITYINFO_BENCH_T0 (Unix nanoseconds, set by the launcher just
// before it started the process) and the process's memory then from
// /proc/self/status: peak resident set (VmHWM), and the resident set
// split into anonymous and file-backed pages. The program keeps running;
// the launcher ends it.
package probe

import (
	"bufio"
	"encoding/json"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
)

// Result is the line the probe writes.
type Result struct {
	// FrameMS is the time from SECURITYINFO_BENCH_T0 to the first swap.
	FrameMS float64 `json:"frame_ms"`
	// PeakKB, RSSKB, AnonKB and FileKB are VmHWM, VmRSS, RssAnon and
	// RssFile at the first swap, in KiB.
	PeakKB int64 `json:"peak_kb"`
	RSSKB  int64 `json:"rss_kb"`
	AnonKB int64 `json:"anon_kb"`
	FileKB int64 `json:"file_kb"`
	// CPUMS is the CPU time the process has used by the first swap, all
	// threads (Mesa's too), user and system: on a busy machine it varies
	// far less than FrameMS (bench/ab reports it; make bench does not).
	CPUMS float64 `json:"cpu_ms"`
}

func init() {
	out := os.Getenv("SECURITYINFO_BENCH_PROBE")
	t0, err := strconv.ParseInt(os.Getenv("SECURITYINFO_BENCH_T0"), 10, 64)
	if out == "" || err != nil {
		return
	}
	// SECURITYINFO_BENCH_CPUPROFILE=FILE as well: a CPU profile (1 kHz) from here
	// to the first swap, for finding what runs before the first frame.
	// It misses the package inits that run before this one
	// (GODEBUG=inittrace=1 shows those).
	var prof *os.File
	if p := os.Getenv("SECURITYINFO_BENCH_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			// Raised before StartCPUProfile, which then keeps it (and
			// prints that it could not set its own 100 Hz).
			runtime.SetCPUProfileRate(1000)
			if pprof.StartCPUProfile(f) == nil {
				prof = f
			}
		}
	}
	// SECURITYINFO_BENCH_HEAPPROFILE=FILE: a heap profile at the first
	// swap (sampling every 4 KiB allocated from here on).
	heapOut := os.Getenv("SECURITYINFO_BENCH_HEAPPROFILE")
	if heapOut != "" {
		runtime.MemProfileRate = 4096
	}
	go func() {
		// fyne.CurrentApp logs an error while there is no app yet: keep
		// those lines out of the program's output while waiting for it.
		log.SetOutput(io.Discard)
		var a fyne.App
		for a = fyne.CurrentApp(); a == nil; a = fyne.CurrentApp() {
			time.Sleep(time.Millisecond)
		}
		log.SetOutput(os.Stderr)
		// Keep the program's own started hook (the app's after-first-frame
		// work): called after the line is written, so that it is not timed.
		lc := a.Lifecycle()
		var prev func()
		if g, ok := lc.(interface{ OnStarted() func() }); ok {
			prev = g.OnStarted()
		}
		lc.SetOnStarted(func() {
			if prev != nil {
				defer prev()
			}
			if prof != nil {
				pprof.StopCPUProfile()
				prof.Close()
			}
			if heapOut != "" {
				if f, err := os.Create(heapOut); err == nil {
					pprof.Lookup("allocs").WriteTo(f, 0)
					f.Close()
				}
			}
			r := Result{FrameMS: float64(time.Now().UnixNano()-t0) / 1e6}
			readStatus(&r)
			var ru syscall.Rusage
			if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
				r.CPUMS = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
			}
			b, _ := json.Marshal(r)
			f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
			if err == nil {
				f.Write(append(b, '\n'))
				f.Close()
			}
		})
	}()
}

// readStatus fills in the memory fields from /proc/self/status.
func readStatus(r *Result) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return
	}
	defer f.Close()
	fields := map[string]*int64{"VmHWM": &r.PeakKB, "VmRSS": &r.RSSKB, "RssAnon": &r.AnonKB, "RssFile": &r.FileKB}
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, _ := strings.Cut(s.Text(), ":")
		if p := fields[k]; p != nil {
			*p, _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
}
