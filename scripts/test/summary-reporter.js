// Prints one plain closing line, "N passed, N failed, N skipped", after jest's own summary, so
// any tool reading the end of the log can tell how many tests ran.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failedSuites = results.numFailedTestSuites > 0 && results.numFailedTests === 0 ? results.numFailedTestSuites : 0;
    console.log(`\n${results.numPassedTests} passed, ${results.numFailedTests + failedSuites} failed, ${skipped} skipped`);
  }
}

module.exports = SummaryReporter;
