import TriageTestServer
print("urltriage-testserver: listens on \(TestServerInfo.defaultHost)")
