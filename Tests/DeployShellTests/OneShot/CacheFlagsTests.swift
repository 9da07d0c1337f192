import ArgumentParser
import DeployKit
import DeployShell
import Testing

/// The one-shot CLI's binary-cache flags reach the deploy's options, and bad values are usage
/// errors naming the flag.
@Suite struct CacheFlagsTests {
    @Test func testPushPullAndNoFallbackReachTheDeployOptions() throws {
        let request = try DeployArguments.request(parsing: [
            ".#web", "--push-to", "http://cache:8080", "--pull-from", "https://mirror", "--no-fallback",
        ])
        #expect(request.deployOptions.cache.cache.pushTo == "http://cache:8080")
        #expect(request.deployOptions.cache.cache.pullFrom == "https://mirror")
        #expect(request.deployOptions.cache.fallback == false)
    }

    @Test(arguments: [
        (["--push-to", "ftp://cache"], "--push-to 'ftp://cache' has the scheme 'ftp://'"),
        (["--pull-from", "cache.example"], "--pull-from 'cache.example' is not a store URL"),
        (["--cache-key", "/nonexistent/key"], "the cache key file '/nonexistent/key' cannot be read"),
    ])
    func testABadCacheFlagIsAUsageErrorNamingIt(flags: [String], message: String) {
        #expect {
            _ = try DeployArguments.request(parsing: [".#web"] + flags)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
