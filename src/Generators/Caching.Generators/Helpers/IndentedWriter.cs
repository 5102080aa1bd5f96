using System;
using System.Text;

namespace Caching.Generators.Helpers;

/// <summary>
/// Writes C# text line by line with four-space indentation. The emitter produces final text directly:
/// no syntax trees and no NormalizeWhitespace, which would cost more than generating the code.
/// </summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public IndentedWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _text.Append(' ', _depth * 4).Append(text);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes a line (or none when <paramref name="header"/> is null), then <c>{</c>, and indents.</summary>
    public IndentedWriter Open(string? header = null)
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        _depth++;
        return this;
    }

    /// <summary>Dedents and writes <c>}</c> followed by <paramref name="suffix"/>.</summary>
    public IndentedWriter Close(string suffix = "")
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("Unbalanced Close.");
        }

        _depth--;
        Line("}" + suffix);
        return this;
    }

    public IndentedWriter Indent()
    {
        _depth++;
        return this;
    }

    public IndentedWriter Dedent()
    {
        _depth--;
        return this;
    }

    public override string ToString() => _text.ToString();
}
