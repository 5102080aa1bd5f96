using Caching.Generators.Helpers;

namespace Caching.Generators.Models;

/// <summary>An interface method and what the decorator does with it.</summary>
/// <param name="Name">The method name as written in code.</param>
/// <param name="MemberName">A name unique within the decorator, used for its helpers (overloads get a suffix).</param>
/// <param name="DeclaringInterface">The fully qualified interface that declares it (the explicit implementation's qualifier).</param>
/// <param name="ReturnType">The fully qualified return type.</param>
/// <param name="ReturnRefPrefix"><c>ref </c>, <c>ref readonly </c> or empty.</param>
/// <param name="ValueType">The cached value type: T of <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c> or a plain T.</param>
/// <param name="ReturnAttributes">Nullable-analysis attributes of the return value, such as <c>[return: global::...MaybeNull]</c>.</param>
/// <param name="Note">The attribute as written, or why an annotated method is passed through.</param>
internal sealed record MethodModel(
    string Name,
    string MemberName,
    string DeclaringInterface,
    string ReturnType,
    string ReturnRefPrefix,
    ReturnKind ReturnKind,
    string? ValueType,
    EquatableArray<TypeParameterModel> TypeParameters,
    EquatableArray<ParameterModel> Parameters,
    string ReturnAttributes,
    MemberBehavior Behavior,
    CachedModel? Cached,
    InvalidationModel? Invalidation,
    string? Note);
