using System.Reflection;
using System.Reflection.Emit;

namespace GradSign.Tests.Statistics;

/// <summary>
/// Lists every type a set of types uses — in base types, interfaces, attributes, fields, properties, events,
/// method signatures, local variables, and the tokens of their IL bodies — and reports those from a
/// GradSign.* namespace other than the allowed one.
/// </summary>
internal static class NamespaceDependencyScanner
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IReadOnlyList<string> Violations(IEnumerable<Type> types, string allowedNamespace)
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            foreach (var (used, where) in References(type))
            {
                if (IsForbidden(used, allowedNamespace))
                {
                    violations.Add($"{type.FullName}: {where} uses {used.FullName ?? used.Name}");
                }
            }
        }

        return [.. violations];
    }

    /// <summary>Every type <paramref name="type"/> uses, with where it uses it (expanded to element types, generic
    /// arguments and declaring types).</summary>
    public static IEnumerable<(Type Used, string Where)> References(Type type)
    {
        var found = new List<(Type, string)>();
        void Check(Type? used, string where) => found.AddRange(Expand(used).Select(t => (t, where)));
        Check(type.BaseType, "base type");
        foreach (var i in type.GetInterfaces())
        {
            Check(i, "interface");
        }

        foreach (var a in type.CustomAttributes)
        {
            Check(a.AttributeType, "attribute");
        }

        foreach (var f in type.GetFields(All))
        {
            Check(f.FieldType, $"field {f.Name}");
        }

        foreach (var p in type.GetProperties(All))
        {
            Check(p.PropertyType, $"property {p.Name}");
        }

        foreach (var e in type.GetEvents(All))
        {
            Check(e.EventHandlerType, $"event {e.Name}");
        }

        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            var where = $"method {m.Name}";
            if (m is MethodInfo mi)
            {
                Check(mi.ReturnType, where + " return");
            }

            foreach (var p in m.GetParameters())
            {
                Check(p.ParameterType, $"{where} parameter {p.Name}");
            }

            foreach (var a in m.CustomAttributes)
            {
                Check(a.AttributeType, where + " attribute");
            }

            var body = m.GetMethodBody();
            if (body is null)
            {
                continue;
            }

            foreach (var local in body.LocalVariables)
            {
                Check(local.LocalType, where + " local");
            }

            foreach (var member in ReferencedMembers(m, body.GetILAsByteArray() ?? []))
            {
                switch (member)
                {
                    case Type t:
                        Check(t, where + " body");
                        break;
                    case FieldInfo f:
                        Check(f.DeclaringType, where + " body");
                        Check(f.FieldType, where + " body");
                        break;
                    case MethodBase callee:
                        Check(callee.DeclaringType, where + " body");
                        if (callee is MethodInfo cm)
                        {
                            Check(cm.ReturnType, where + " body");
                            foreach (var g in cm.IsGenericMethod ? cm.GetGenericArguments() : [])
                            {
                                Check(g, where + " body");
                            }
                        }

                        foreach (var p in callee.GetParameters())
                        {
                            Check(p.ParameterType, where + " body");
                        }

                        break;
                }
            }
        }

        return found;
    }

    private static bool IsForbidden(Type t, string allowedNamespace)
    {
        var ns = t.Namespace;
        if (ns is null || !(ns == "GradSign" || ns.StartsWith("GradSign.", StringComparison.Ordinal)))
        {
            return false;
        }

        return !(ns == allowedNamespace || ns.StartsWith(allowedNamespace + ".", StringComparison.Ordinal));
    }

    /// <summary>The type and everything it is built from (element types, generic arguments, declaring types).</summary>
    private static IEnumerable<Type> Expand(Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }

        yield return type;
        if (type.HasElementType)
        {
            foreach (var t in Expand(type.GetElementType()))
            {
                yield return t;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var t in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return t;
            }
        }

        if (type.DeclaringType is { } outer && !type.IsGenericParameter)
        {
            foreach (var t in Expand(outer))
            {
                yield return t;
            }
        }
    }

    /// <summary>Decodes the IL stream and resolves every field, method, type and token operand.</summary>
    private static IEnumerable<MemberInfo> ReferencedMembers(MethodBase method, byte[] il)
    {
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var pc = 0; pc < il.Length;)
        {
            short value = il[pc++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[pc++]);
            }

            var op = s_opCodes[value];
            switch (op.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    yield return method.Module.ResolveMember(BitConverter.ToInt32(il, pc), typeArgs, methodArgs)!;
                    pc += 4;
                    break;
                case OperandType.InlineSig:
                    throw new NotSupportedException($"{method.DeclaringType}.{method.Name}: calli signatures are not scanned");
                case OperandType.InlineSwitch:
                    pc += 4 + (4 * BitConverter.ToInt32(il, pc));
                    break;
                default:
                    pc += OperandSize(op.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType type) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
