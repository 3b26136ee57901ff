package wizard

// WaitForSends waits for every code a reset is sending in the background
// (StartProof returns before the send ends): tests that read a code sent,
// or change the sender, after StartProof call it first.
func WaitForSends(f *Flow) { f.sends.Wait() }
