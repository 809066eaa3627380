import XCTest
final class DidEmbedTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
