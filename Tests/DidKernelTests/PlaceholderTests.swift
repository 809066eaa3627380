import XCTest
final class DidKernelTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
