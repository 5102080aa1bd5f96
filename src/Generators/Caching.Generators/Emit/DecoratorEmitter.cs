using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Caching.Generators.Helpers;
using Caching.Generators.Models;

namespace Caching.Generators.Emit;

/// <summary>
/// Writes one decorator class. Every interface member is implemented explicitly (so members of different
/// interfaces never collide and default parameter values stay the interface's); cached methods go through the
/// cache with a static factory and a value-tuple state, so an L1 hit allocates nothing but the key.
/// </summary>
internal sealed class DecoratorEmitter
{
    private const string Inner = "_inner";
    private const string Cache = "_cache";
    private const string KeyPrefix = "KeyPrefix";

    private readonly InterfaceModel _model;
    private readonly IndentedWriter _w = new();
    private readonly string _typeArgumentName;
    private bool _needsTypeArgumentName;
    private bool _needsWaitForValueTask;
    private bool _needsWaitForValueTaskOfLong;

    private DecoratorEmitter(InterfaceModel model)
    {
        _model = model;
        _typeArgumentName = CodeText.Unique("TArgument", model.TypeParameters.Select(p => p.Name).ToList());
    }

    public static string Emit(InterfaceModel model) => new DecoratorEmitter(model).Write();

    private string Write()
    {
        _w.Line(CodeText.Header.TrimEnd('\n'));
        var hasNamespace = _model.Namespace is not null;
        if (hasNamespace)
        {
            _w.Line().Open("namespace " + _model.Namespace);
        }
        else
        {
            _w.Line();
        }

        _w.Line("/// <summary>")
            .Line("/// Caching decorator for <see cref=\"" + Cref(_model.FullyQualifiedName) + "\"/>, generated from its [Cached] and [InvalidatesCache]")
            .Line("/// attributes. It forwards every other member unchanged. It does not own the inner instance and never disposes it.")
            .Line("/// </summary>");
        _w.Line(CodeText.GeneratedCodeAttribute);
        _w.Line("internal sealed class " + _model.DecoratorDeclarationName + " : " + _model.FullyQualifiedName);
        _w.Indent();
        foreach (var parameter in _model.TypeParameters.Where(p => p.Constraints is not null))
        {
            _w.Line("where " + parameter.Name + " : " + parameter.Constraints);
        }

        _w.Dedent();
        _w.Open();
        WriteFieldsAndConstructor();
        foreach (var method in _model.Methods)
        {
            _w.Line();
            WriteMethod(method);
        }

        foreach (var property in _model.Properties)
        {
            _w.Line();
            WriteProperty(property);
        }

        foreach (var @event in _model.Events)
        {
            _w.Line();
            WriteEvent(@event);
        }

        WriteSharedHelpers();
        WriteCopies();
        _w.Close();
        if (hasNamespace)
        {
            _w.Close();
        }

        return _w.ToString();
    }

    /// <summary>The field, qualified with <c>this.</c> when a parameter of the method has the same name.</summary>
    private static string Field(MethodModel method, string field) =>
        method.Parameters.Any(p => p.Name == field) ? "this." + field : field;

    private static string Cref(string name) => name.Replace('<', '{').Replace('>', '}');

    private void WriteFieldsAndConstructor()
    {
        if (_model.IsGeneric)
        {
            _w.Line("/// <summary>The service key under which AddCachingDecorators keeps the original registration of the open interface.</summary>");
            _w.Line("internal const string InnerServiceKey = " + CodeText.Literal(_model.InnerServiceKey) + ";");
            _w.Line();
            _w.Line("// Each closed decorator keeps its entries under its type arguments, so IRepository<User> and");
            _w.Line("// IRepository<Order> never share a key. typeof(T).ToString() has no assembly version in it: keys survive a redeployment.");
            var prefix = string.Join(" + ", _model.TypeParameters.Select(p => TypeCall + "Escape(typeof(" + p.Name + ").ToString()) + \":\""));
            _w.Line("private static readonly string " + KeyPrefix + " = " + prefix + ";");
            _w.Line();
        }

        _w.Line("private readonly " + _model.FullyQualifiedName + " " + Inner + ";");
        _w.Line("private readonly " + TypeNames.MultiLayerCache + " " + Cache + ";");
        _w.Line();
        _w.Line("/// <summary>Wraps <paramref name=\"inner\"/> so that its annotated methods go through <paramref name=\"cache\"/>.</summary>");
        _w.Line("/// <param name=\"inner\">The real implementation.</param>");
        _w.Line("/// <param name=\"cache\">The two-tier cache.</param>");
        var innerAttribute = _model.IsGeneric ? "[global::Microsoft.Extensions.DependencyInjection.FromKeyedServices(InnerServiceKey)] " : string.Empty;
        _w.Open("public " + _model.DecoratorName + "(" + innerAttribute + _model.FullyQualifiedName + " inner, " + TypeNames.MultiLayerCache + " cache)");
        _w.Line(Inner + " = inner ?? throw new global::System.ArgumentNullException(nameof(inner));");
        _w.Line(Cache + " = cache ?? throw new global::System.ArgumentNullException(nameof(cache));");
        _w.Close();
    }

    private const string TypeCall = TypeNames.CacheKey + ".";

    private void WriteMethod(MethodModel method)
    {
        switch (method.Behavior)
        {
            case MemberBehavior.Cached:
                WriteCached(method, method.Cached!);
                break;
            case MemberBehavior.Invalidating:
                WriteInvalidating(method, method.Invalidation!);
                break;
            case MemberBehavior.NotOwned:
                _w.Line("// Not forwarded: the inner instance belongs to whoever created it (the container disposes its own registration).");
                _w.Line(Signature(method) + (method.ReturnKind == ReturnKind.Void ? " { }" : " => default;"));
                break;
            default:
                WriteNote(method);
                var call = Field(method, Inner) + "." + method.Name + TypeArguments(method) + "(" + string.Join(", ", method.Parameters.Select(p => p.ArgumentPrefix + p.Name)) + ")";
                _w.Line(Signature(method) + " => " + (method.ReturnRefPrefix.Length > 0 ? "ref " : string.Empty) + call + ";");
                break;
        }
    }

    /// <summary>The attribute as written, when it comes from source (a base interface in another assembly has no syntax).</summary>
    private void WriteNote(MethodModel method)
    {
        if (method.Note is not null)
        {
            _w.Line("// " + method.Note);
        }
    }

    /// <summary>The explicit implementation's signature: no defaults, no <c>params</c>, constraints only as C# allows there.</summary>
    private static string Signature(MethodModel method, bool isAsync = false)
    {
        var text = method.ReturnAttributes + (isAsync ? "async " : string.Empty) + method.ReturnRefPrefix + method.ReturnType + " " + method.DeclaringInterface + "." + method.Name + TypeArguments(method)
            + "(" + string.Join(", ", method.Parameters.Select(p => p.DeclarationPrefix + p.Type + " " + p.Name)) + ")";
        foreach (var parameter in method.TypeParameters)
        {
            text += " where " + parameter.Name + " : " + parameter.ExplicitImplementationConstraint;
        }

        return text;
    }

    private static string TypeArguments(MethodModel method) =>
        method.TypeParameters.IsEmpty ? string.Empty : "<" + string.Join(", ", method.TypeParameters.Select(p => p.Name)) + ">";

    private void WriteCached(MethodModel method, CachedModel cached)
    {
        WriteNote(method);
        var options = WriteOptions(method, cached, out var optionsExpression);
        var key = KeyExpression(method, cached.Key, method.MemberName + "Key");
        var isAsync = method.ReturnKind != ReturnKind.Value;
        var tokenParameter = method.Parameters.FirstOrDefault(p => p.IsCancellationToken);

        // The state carries the inner service and the arguments (all of them for the synchronous path, which has
        // no load token to hand out), so the factory can be a static lambda: no closure is allocated per call.
        var carried = method.Parameters.Where(p => !isAsync || !p.IsCancellationToken).ToList();
        var inner = Field(method, Inner);
        var cache = Field(method, Cache);
        var state = carried.Count == 0 ? inner : "(" + inner + ", " + string.Join(", ", carried.Select(p => p.Name)) + ")";
        var receiver = carried.Count == 0 ? "state" : "state.Item1";
        var arguments = method.Parameters.Select(p => isAsync && p.IsCancellationToken ? "loadToken" : "state.Item" + (carried.IndexOf(p) + 2).ToString(CultureInfo.InvariantCulture));
        var innerCall = receiver + "." + method.Name + TypeArguments(method) + "(" + string.Join(", ", arguments) + ")";

        _w.Open(Signature(method));
        switch (method.ReturnKind)
        {
            case ReturnKind.Value:
                _w.Line("return " + cache + ".GetOrSet(" + key + ", " + state + ", static state => " + innerCall + ", " + optionsExpression + ");");
                break;
            case ReturnKind.ValueTaskOfT:
                _w.Line("return " + cache + ".GetOrSetAsync(");
                WriteAsyncArguments(key, state, innerCall, optionsExpression, tokenParameter, method.Parameters.Any(p => p.IsCancellationToken), ");");
                break;
            default:
                _w.Line("// Task<T> costs one Task allocation per call, even on an L1 hit; ValueTask<T> would not.");
                _w.Line("return " + cache + ".GetOrSetAsync(");
                WriteAsyncArguments(key, state, "new " + TypeNames.ValueTask + "<" + method.ValueType + ">(" + innerCall + ")", optionsExpression, tokenParameter, method.Parameters.Any(p => p.IsCancellationToken), ").AsTask();");
                break;
        }

        _w.Close();
        WriteTemplateHelper(method, cached.Key, method.MemberName + "Key");
        for (var i = 0; i < cached.Tags.Count; i++)
        {
            if (!IsStatic(cached.Tags[i]))
            {
                WriteTemplateHelper(method, cached.Tags[i], method.MemberName + "Tag" + i);
            }
        }

        if (options is not null)
        {
            _w.Line();
            foreach (var line in options)
            {
                _w.Line(line);
            }
        }
    }

    private void WriteAsyncArguments(string key, string state, string factoryBody, string options, ParameterModel? token, bool usesToken, string end)
    {
        _w.Indent();
        _w.Line(key + ",");
        _w.Line(state + ",");
        _w.Line("static (state, " + (usesToken ? "loadToken" : "_") + ") => " + factoryBody + ",");
        _w.Line(token is null ? options + end : options + ",");
        if (token is not null)
        {
            _w.Line(token.Name + end);
        }

        _w.Dedent();
    }

    /// <summary>
    /// Writes (or returns, to write after the method) the per-method options. Constant options are one static
    /// instance; options whose tags depend on the arguments are built per call by a small static method.
    /// </summary>
    private List<string>? WriteOptions(MethodModel method, CachedModel cached, out string expression)
    {
        var lines = new List<string>();
        var perCall = cached.Tags.Any(t => !IsStatic(t));
        var name = method.MemberName + "Options";
        if (perCall)
        {
            var parameters = method.Parameters.Where(p => cached.Tags.Any(t => t.Parameters.Contains(p.Name))).ToList();
            expression = name + TypeArguments(method) + "(" + string.Join(", ", parameters.Select(p => p.Name)) + ")";
            lines.Add("// The tags depend on the arguments, so the options are built per call.");
            lines.Add("private static " + TypeNames.CacheEntryOptions + " " + name + TypeArguments(method) + "(" + string.Join(", ", parameters.Select(p => p.Type + " " + p.Name)) + ")" + HelperConstraints(method) + " => new " + TypeNames.CacheEntryOptions);
        }
        else
        {
            expression = name;
            lines.Add("private static readonly " + TypeNames.CacheEntryOptions + " " + name + " = new " + TypeNames.CacheEntryOptions);
        }

        lines.Add("{");
        if (cached.LocalTtl is { } local)
        {
            lines.Add("    LocalTtl = global::System.TimeSpan.FromTicks(" + local.Ticks.ToString(CultureInfo.InvariantCulture) + "L), // " + local.Text);
        }

        if (cached.RedisTtl is { } redis)
        {
            lines.Add("    RedisTtl = global::System.TimeSpan.FromTicks(" + redis.Ticks.ToString(CultureInfo.InvariantCulture) + "L), // " + redis.Text);
        }

        if (cached.Profile is not null)
        {
            lines.Add("    Profile = " + CodeText.Literal(cached.Profile) + ",");
        }

        var resilience = cached.Resilience;
        if (resilience.SoftTimeout is { } soft)
        {
            lines.Add("    FactorySoftTimeout = global::System.TimeSpan.FromTicks(" + soft.Ticks.ToString(CultureInfo.InvariantCulture) + "L), // " + soft.Text);
        }

        if (resilience.HardTimeout is { } hard)
        {
            lines.Add("    FactoryHardTimeout = global::System.TimeSpan.FromTicks(" + hard.Ticks.ToString(CultureInfo.InvariantCulture) + "L), // " + hard.Text);
        }

        if (resilience.EagerRefresh > 0)
        {
            lines.Add("    EagerRefreshThreshold = " + resilience.EagerRefresh.ToString("R", CultureInfo.InvariantCulture) + "d,");
        }

        if (resilience.Jitter is { } jitter)
        {
            lines.Add("    JitterMaxDuration = global::System.TimeSpan.FromTicks(" + jitter.Ticks.ToString(CultureInfo.InvariantCulture) + "L), // " + jitter.Text);
        }

        if (resilience.DistributedLock)
        {
            lines.Add("    DistributedLock = true,");
        }

        if (cached.CacheNull)
        {
            lines.Add("    CacheNull = true,");
        }

        if (!cached.Tags.IsEmpty)
        {
            // Fixed tags are written out here: a static field for them would be initialized after this one.
            var tags = cached.Tags.Select((t, i) => IsStatic(t) ? StaticText(t) : KeyExpression(method, t, method.MemberName + "Tag" + i));
            lines.Add("    Tags = new string[] { " + string.Join(", ", tags) + " },");
        }

        lines.Add("    Sharing = " + TypeNames.ValueSharing + "." + cached.Sharing + ", // " + cached.SharingReason);
        if (cached.Copier is { } copier)
        {
            lines.Add("    Copier = new " + TypeNames.CacheValueCopier + "<" + method.ValueType + ">(static value => " + copier.Root + "(value)!),");
        }

        lines.Add("    Method = " + CodeText.Literal(cached.Method) + ", // settings and kill switch: Cache:Methods:" + cached.Method);
        if (cached.SchemaTag is not null)
        {
            lines.Add("    SchemaTag = " + CodeText.Literal(cached.SchemaTag) + ", // fingerprint of " + (method.ValueType ?? string.Empty).Replace("global::", string.Empty).TrimEnd('?') + "'s serialized shape");
        }

        lines.Add("};");
        if (!perCall)
        {
            foreach (var line in lines)
            {
                _w.Line(line);
            }

            _w.Line();
            return null;
        }

        return lines;
    }

    private void WriteInvalidating(MethodModel method, InvalidationModel invalidation)
    {
        WriteNote(method);
        var isAsync = method.ReturnKind is ReturnKind.Task or ReturnKind.ValueTask or ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT;
        var hasResult = method.ReturnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT or ReturnKind.Value;
        var taken = method.Parameters.Select(p => p.Name).ToList();
        var result = CodeText.Unique("result", taken);
        var call = Field(method, Inner) + "." + method.Name + TypeArguments(method) + "(" + string.Join(", ", method.Parameters.Select(p => p.Name)) + ")";

        _w.Open(Signature(method, isAsync));
        if (invalidation.BeforeInvocation)
        {
            WriteInvalidations(method, invalidation, isAsync);
        }

        var invocation = isAsync ? "await " + call + ".ConfigureAwait(false)" : call;
        _w.Line(hasResult ? "var " + result + " = " + invocation + ";" : invocation + ";");
        if (!invalidation.BeforeInvocation)
        {
            WriteInvalidations(method, invalidation, isAsync);
        }

        if (hasResult)
        {
            _w.Line("return " + result + ";");
        }

        _w.Close();
        for (var i = 0; i < invalidation.Patterns.Count; i++)
        {
            WriteTemplateHelper(method, invalidation.Patterns[i], method.MemberName + "Pattern" + i);
        }

        for (var i = 0; i < invalidation.Tags.Count; i++)
        {
            WriteTemplateHelper(method, invalidation.Tags[i], method.MemberName + "Tag" + i);
        }
    }

    private void WriteInvalidations(MethodModel method, InvalidationModel invalidation, bool isAsync)
    {
        if (!invalidation.BeforeInvocation)
        {
            _w.Line(isAsync
                ? "// Only reached when the call succeeded. No caller token: once the write is done, its stale entries must go."
                : "// Only reached when the call succeeded. The cache never captures a synchronization context, so waiting cannot deadlock.");
        }

        var cache = Field(method, Cache);
        var operations = new List<(string Call, bool ReturnsCount)>();
        for (var i = 0; i < invalidation.Patterns.Count; i++)
        {
            var pattern = invalidation.Patterns[i];
            var text = KeyExpression(method, pattern, method.MemberName + "Pattern" + i);
            operations.Add(pattern.HasWildcard ? (cache + ".InvalidatePatternAsync(" + text + ")", true) : (cache + ".RemoveAsync(" + text + ")", false));
        }

        for (var i = 0; i < invalidation.Tags.Count; i++)
        {
            operations.Add((cache + ".RemoveByTagAsync(" + KeyExpression(method, invalidation.Tags[i], method.MemberName + "Tag" + i) + ")", true));
        }

        foreach (var (call, returnsCount) in operations)
        {
            if (isAsync)
            {
                _w.Line("await " + call + ".ConfigureAwait(false);");
            }
            else
            {
                _needsWaitForValueTaskOfLong |= returnsCount;
                _needsWaitForValueTask |= !returnsCount;
                _w.Line("WaitFor(" + call + ");");
            }
        }
    }

    /// <summary>A key, pattern or tag as an expression: a literal, a per-type static field, or a call to its builder method.</summary>
    private static string KeyExpression(MethodModel method, TemplateModel template, string helperName)
    {
        if (template.IsConstant)
        {
            return CodeText.Literal(template.ConstantText);
        }

        if (IsStatic(template))
        {
            return helperName;
        }

        var typeArguments = template.Parts.Any(p => p.Kind == KeyPartKind.TypeArgument) ? TypeArguments(method) : string.Empty;
        return helperName + typeArguments + "(" + string.Join(", ", template.Parameters) + ")";
    }

    /// <summary>True when the text is fixed for a closed decorator type: literals and the interface's type arguments only.</summary>
    private static bool IsStatic(TemplateModel template) =>
        template.Parts.All(p => p.Kind is KeyPartKind.Literal or KeyPartKind.InterfacePrefix);

    private static string StaticText(TemplateModel template) =>
        string.Join(" + ", template.Parts.Select(p => p.Kind == KeyPartKind.InterfacePrefix ? KeyPrefix : CodeText.Literal(p.Text)));

    private void WriteTemplateHelper(MethodModel method, TemplateModel template, string name)
    {
        if (template.IsConstant)
        {
            return;
        }

        _w.Line();
        if (IsStatic(template))
        {
            _w.Line("private static readonly string " + name + " = " + StaticText(template) + ";");
            return;
        }

        var parameters = method.Parameters.Where(p => template.Parameters.Contains(p.Name)).ToList();
        var taken = parameters.Select(p => p.Name).ToList();
        var builder = CodeText.Unique("builder", taken);
        var hasTypeArguments = template.Parts.Any(p => p.Kind == KeyPartKind.TypeArgument);
        _w.Line("// \"" + template.Text + "\"");
        _w.Open("private static string " + name + (hasTypeArguments ? TypeArguments(method) : string.Empty)
            + "(" + string.Join(", ", parameters.Select(p => p.Type + " " + p.Name)) + ")" + (hasTypeArguments ? HelperConstraints(method) : string.Empty));
        _w.Line("var " + builder + " = new " + TypeNames.CacheKeyBuilder + "(stackalloc char[128]);");
        foreach (var part in template.Parts)
        {
            switch (part.Kind)
            {
                case KeyPartKind.Literal:
                    _w.Line(builder + ".AppendLiteral(" + CodeText.Literal(part.Text) + ");");
                    break;
                case KeyPartKind.InterfacePrefix:
                    _w.Line(builder + ".AppendLiteral(" + KeyPrefix + ");");
                    break;
                case KeyPartKind.TypeArgument:
                    _needsTypeArgumentName = true;
                    _w.Line(builder + ".AppendLiteral(TypeArgumentName<" + part.Text + ">.Value);");
                    break;
                default:
                    _w.Line(builder + "." + AppendCall(part) + ";");
                    break;
            }
        }

        _w.Line("return " + builder + ".ToStringAndClear();");
        _w.Close();
    }

    private static string AppendCall(KeyPartModel part) => part.Append switch
    {
        AppendKind.NullableBool => "AppendValue(" + part.Text + " switch { true => \"true\", false => \"false\", _ => null })",
        AppendKind.Formatted => "AppendFormatted(" + part.Text + ")",
        AppendKind.Nullable => "AppendNullable(" + part.Text + ")",
        AppendKind.Enum => "AppendEnum(" + part.Text + ")",
        AppendKind.NullableEnum => "AppendNullableEnum(" + part.Text + ")",
        AppendKind.Sequence => "AppendSequence<" + part.ElementType + ">(" + part.Text + ")",
        AppendKind.Object => "AppendObject(" + part.Text + ")",
        _ => "AppendValue(" + part.Text + ")",
    };

    /// <summary>A generic method's constraints, repeated on its static helpers (which are not implementations, so all constraints apply).</summary>
    private static string HelperConstraints(MethodModel method) =>
        string.Concat(method.TypeParameters.Where(p => p.Constraints is not null).Select(p => " where " + p.Name + " : " + p.Constraints));

    private void WriteProperty(PropertyModel property)
    {
        var name = property.Name == "this"
            ? "this[" + string.Join(", ", property.IndexerParameters.Select(p => p.DeclarationPrefix + p.Type + " " + p.Name)) + "]"
            : property.Name;
        var access = property.Name == "this"
            ? Inner + "[" + string.Join(", ", property.IndexerParameters.Select(p => p.ArgumentPrefix + p.Name)) + "]"
            : Inner + "." + property.Name;
        var declaration = property.Attributes + property.RefPrefix + property.Type + " " + property.DeclaringInterface + "." + name;
        if (property.RefPrefix.Length > 0)
        {
            _w.Line(declaration + " => ref " + access + ";");
            return;
        }

        _w.Open(declaration);
        if (property.HasGetter)
        {
            _w.Line("get => " + access + ";");
        }

        switch (property.Setter)
        {
            case SetterKind.Set:
                _w.Line("set => " + access + " = value;");
                break;
            case SetterKind.Init:
                // An init accessor may only run while its own object is initialized, which the inner one no longer is.
                _w.Line("init => throw new global::System.NotSupportedException(\"An init-only property cannot be set through a decorator.\");");
                break;
        }

        _w.Close();
    }

    private void WriteEvent(EventModel @event)
    {
        _w.Open("event " + @event.Type + " " + @event.DeclaringInterface + "." + @event.Name);
        _w.Line("add => " + Inner + "." + @event.Name + " += value;");
        _w.Line("remove => " + Inner + "." + @event.Name + " -= value;");
        _w.Close();
    }

    /// <summary>The deep copies of the copied result types, each type's function once for all the methods that need it.</summary>
    private void WriteCopies()
    {
        var written = new HashSet<string>();
        foreach (var function in _model.Methods.Select(m => m.Cached?.Copier).Where(c => c is not null).SelectMany(c => c!.Functions))
        {
            if (!written.Add(function.Name))
            {
                continue;
            }

            _w.Line();
            _w.Line("private static " + function.Type + "? " + function.Name + "(" + function.Type + "? source)");
            _w.Open();
            foreach (var line in function.Body)
            {
                _w.Line(line);
            }

            _w.Close();
        }
    }

    private void WriteSharedHelpers()
    {
        if (_needsWaitForValueTask || _needsWaitForValueTaskOfLong)
        {
            _w.Line();
            _w.Line("// Synchronous methods wait for their invalidation; a completed ValueTask is read in place, without allocating.");
        }

        if (_needsWaitForValueTask)
        {
            _w.Open("private static void WaitFor(" + TypeNames.ValueTask + " pending)");
            WaitForBody();
            _w.Close();
        }

        if (_needsWaitForValueTaskOfLong)
        {
            if (_needsWaitForValueTask)
            {
                _w.Line();
            }

            _w.Open("private static void WaitFor(" + TypeNames.ValueTask + "<long> pending)");
            WaitForBody();
            _w.Close();
        }

        if (_needsTypeArgumentName)
        {
            _w.Line();
            _w.Line("// A generic method's type arguments are part of its keys, escaped once per type.");
            _w.Open("private static class TypeArgumentName<" + _typeArgumentName + ">");
            _w.Line("public static readonly string Value = " + TypeCall + "Escape(typeof(" + _typeArgumentName + ").ToString());");
            _w.Close();
        }
    }

    private void WaitForBody()
    {
        _w.Open("if (pending.IsCompleted)");
        _w.Line("pending.GetAwaiter().GetResult();");
        _w.Close();
        _w.Open("else");
        _w.Line("pending.AsTask().GetAwaiter().GetResult();");
        _w.Close();
    }
}
