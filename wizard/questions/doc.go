// Package questions is the security questions method, for password reset
// only: a person registers 3 to 5 questions (the policy's
// questions_register) from the list that ships with the app (assets/
// questions.toml, translated in one file) or, where the policy allows,
// of their own, with an answer to each; a password reset asks a number of
// them (questions_reset), drawn by a keyed hash of the account and the
// day so that starting again asks the same ones (DrawKey).
//
// Answers are knowledge anyone close to the person may have, so the
// wizard never accepts them as a second factor (wizard.Describe: TwoStep
// is false). The rules (Rules.Check): no question twice, no answer twice,
// answers 3 to 40 characters, and no answer containing a word of its
// question or of the account's name. Answers are normalised (Normalise:
// NFKC, case folded, white space collapsed) and kept only as salted
// argon2id hashes (wizard/secret), never in the clear; the directory
// shows even the hashes to stations only.
//
// Setup is the registration driven by the wizard host (ui/questions.go
// draws it); Prover asks drawn questions for a reset, and the flow
// (wizard.Flow.Prove) counts its checks on the account like every other
// (wizard/regulation). For a name without questions, ProverFactory's
// stand-in asks shipped ones and does a real check's work.
package questions
