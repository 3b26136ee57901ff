package slapdtest

import (
	"bytes"
	"fmt"
	"os"
	"syscall"
)

// slapd gets its own process group (a Ctrl+C in the terminal reaches the
// test binary, which stops slapd in its cleanup) and is killed if the test
// binary dies without cleaning up (a panic in another goroutine, a kill,
// SIGPIPE from a closed `go test | ...` pipe).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

var (
	sigPause  os.Signal = syscall.SIGSTOP
	sigResume os.Signal = syscall.SIGCONT
	sigStop   os.Signal = syscall.SIGTERM
)

// supported says whether slapdtest can run slapd here.
func supported() error { return nil }

// stopped reports whether the process is stopped (state T in /proc).
func stopped(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses.
	i := bytes.LastIndexByte(b, ')')
	return i >= 0 && i+2 < len(b) && (b[i+2] == 'T' || b[i+2] == 't')
}
