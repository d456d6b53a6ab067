using Xunit.Abstractions;
using Xunit.Sdk;

namespace ChatMvc.Tests.Infrastructure;

// A test that reports on the others in its class (with RunsLastOrderer as the class's TestCaseOrderer).
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunsLastAttribute : Attribute;

public sealed class RunsLastOrderer : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(c => c.TestMethod.Method.GetCustomAttributes(typeof(RunsLastAttribute).AssemblyQualifiedName).Any() ? 1 : 0);
}
