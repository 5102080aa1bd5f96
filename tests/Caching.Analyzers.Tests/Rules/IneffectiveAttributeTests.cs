using Caching.Analyzers.Tests.Verifiers;
using Verify = Caching.Analyzers.Tests.Verifiers.AnalyzerVerifier<Caching.Analyzers.Rules.IneffectiveAttributeAnalyzer>;

namespace Caching.Analyzers.Tests.Rules;

public class IneffectiveAttributeTests
{
    [Fact]
    public async Task Class_method_outside_any_annotated_interface_is_reported_on_the_attribute()
    {
        var source = Sources.Usings + """
            public class UserRepository
            {
                [{|#0:Cached("user:{id}")|}]
                public Task<string> GetAsync(string id) => Task.FromResult(id);
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.IneffectiveAttribute).WithLocation(0)
                .WithArguments("Cached", "UserRepository.GetAsync", "'UserRepository' is not an interface, and no annotated interface method is implemented by this method; the generator reads the attributes of interface methods"));
    }

    [Fact]
    public async Task Static_methods_accessors_and_unannotated_implementations_are_reported()
    {
        var source = Sources.Usings + """
            public interface IPlain
            {
                Task<string> GetAsync(string id);

                string Name { [{|CACHE009:Cached("name")|}] get; }

                [{|CACHE009:Cached("s:{id}")|}]
                static string Shared(string id) => id;
            }

            public sealed class Plain : IPlain
            {
                [{|CACHE009:Cached("p:{id}")|}, InvalidatesCache("q:*")]
                public Task<string> GetAsync(string id) => Task.FromResult(id);

                public string Name => "";

                [{|CACHE009:InvalidatesCache("x:*")|}]
                public static void Reset() { }
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Both_attributes_on_one_method_are_one_diagnostic_with_the_second_as_additional_location()
    {
        var source = Sources.Usings + """
            public interface IBoth
            {
                [{|#0:Cached("both:{id}")|}]
                [{|#1:InvalidatesCache("both:*")|}]
                Task<int> BothAsync(int id);
            }
            """;
        const string Reason = "the method has both [Cached] and [InvalidatesCache], and the generator decorates neither; split it into a reading and a writing method";
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.IneffectiveAttribute).WithLocation(0).WithLocation(1).WithArguments("Cached", "IBoth.BothAsync", Reason));
    }

    [Fact]
    public async Task Interface_methods_and_implementations_of_annotated_methods_are_fine()
    {
        var source = Sources.Usings + """
            public interface IUserService
            {
                [Cached("user:{userId}:profile")]
                Task<string?> GetProfileAsync(string userId, CancellationToken ct = default);

                [InvalidatesCache("user:{userId}:*")]
                Task UpdateProfileAsync(string userId, CancellationToken ct = default);
            }

            public interface IGeneric<T>
            {
                [Cached("g:{id}")]
                Task<T?> FindAsync(string id);
            }

            public sealed class UserService : IUserService, IGeneric<int>
            {
                [Cached("user:{userId}:profile")]
                public Task<string?> GetProfileAsync(string userId, CancellationToken ct = default) => Task.FromResult<string?>(userId);

                [InvalidatesCache("user:{userId}:*")]
                Task IUserService.UpdateProfileAsync(string userId, CancellationToken ct) => Task.CompletedTask;

                [Cached("g:{id}")]
                public Task<int> FindAsync(string id) => Task.FromResult(0);
            }
            """;
        await Verify.VerifyAsync(source);
    }
}
