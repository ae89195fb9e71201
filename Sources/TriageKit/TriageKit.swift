/// TriageKit: the urltriage engine. Each pipeline stage has its own folder:
/// Extract, Normalize, Rules, Dedupe, Pipeline, Output.
public enum TriageKit {
    /// The version printed by `urltriage --version`.
    public static let version = "0.1.0"
}
