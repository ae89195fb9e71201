import TriageKit
print(TriageKit.version)
