// The opt-in build step of GradSign.Backends.TorchSharp (see GradSign.Backends.TorchSharp.targets beside this file):
// compiled by MSBuild's RoslynCodeTaskFactory during the build, and by the backend's tests (with
// GRADSIGN_ELF_ONLY defined, without the MSBuild task). Written for netstandard2.0 and C# 7.3: nothing but the SDK.
//
// Why: TorchSharp 0.107's libLibTorchSharp.so was linked against GCC 13's libstdc++ and asks for GLIBCXX_3.4.32 for
// one symbol, std::ios_base_library_init(), which GCC 13's <iostream> references and never calls. Older libstdc++
// (Debian 12: up to GLIBCXX_3.4.30) lack that version, so the dynamic loader refuses the library. Rewriting that one
// version requirement (an entry of the ELF .gnu.version_r section) to GLIBCXX_3.4, which the library already needs,
// lets it load; the symbol stays unresolved-but-unused behind a lazily bound PLT slot.
#if GRADSIGN_ELF_ONLY
#nullable disable
#endif
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace GradSign.Build
{
    /// <summary>Reads and rewrites the version requirements (.gnu.version_r) of a little-endian ELF64 shared object.</summary>
    public static class ElfVersionNeeds
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>The version names a shared object requires (e.g. GLIBCXX_3.4.32), in section order.</summary>
        public static List<string> Required(byte[] elf)
        {
            var names = new List<string>();
            foreach (var entry in Entries(elf))
            {
                names.Add(entry.Name);
            }

            return names;
        }

        /// <summary>
        /// Rewrites every requirement named <paramref name="from"/> to <paramref name="to"/>, a name already in the
        /// section's string table (so no string is added and no offset moves). Returns how many were rewritten; 0 when
        /// there is nothing to do, so a second run changes nothing.
        /// </summary>
        public static int Rewrite(byte[] elf, string from, string to)
        {
            var rewritten = 0;
            foreach (var entry in Entries(elf))
            {
                if (entry.Name != from)
                {
                    continue;
                }

                var target = FindString(elf, entry.StringTable, entry.StringTableSize, to);
                if (target < 0)
                {
                    throw new InvalidDataException("'" + to + "' is not in the dynamic string table; cannot rewrite '" + from + "'.");
                }

                // Elf64_Vernaux: vna_hash (4), vna_flags (2), vna_other (2), vna_name (4), vna_next (4).
                WriteUInt32(elf, entry.AuxOffset, ElfHash(to));
                WriteUInt32(elf, entry.AuxOffset + 8, (uint)target);
                rewritten++;
            }

            return rewritten;
        }

        /// <summary>True when <paramref name="library"/> (e.g. libstdc++.so.6) contains the version name at all.</summary>
        public static bool MentionsVersion(byte[] library, string version)
        {
            var needle = Encoding.ASCII.GetBytes("\0" + version + "\0");
            for (var i = 0; i + needle.Length <= library.Length; i++)
            {
                var match = true;
                for (var j = 0; j < needle.Length && match; j++)
                {
                    match = library[i + j] == needle[j];
                }

                if (match)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The SysV ELF hash of a version name (vna_hash).</summary>
        public static uint ElfHash(string name)
        {
            uint h = 0;
            foreach (var c in Encoding.ASCII.GetBytes(name))
            {
                h = (h << 4) + c;
                var g = h & 0xf0000000;
                if (g != 0)
                {
                    h ^= g >> 24;
                }

                h &= ~g;
            }

            return h;
        }

        private struct Need
        {
            public string Name;
            public int AuxOffset;
            public int StringTable;
            public int StringTableSize;
        }

        private static IEnumerable<Need> Entries(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            {
                throw new InvalidDataException("Not an ELF file.");
            }

            if (elf[4] != 2 || elf[5] != 1)
            {
                throw new InvalidDataException("Not a little-endian ELF64 file.");
            }

            var sectionHeaders = checked((int)BitConverter.ToUInt64(elf, 0x28));
            int entrySize = BitConverter.ToUInt16(elf, 0x3A);
            int count = BitConverter.ToUInt16(elf, 0x3C);
            for (var s = 0; s < count; s++)
            {
                // Elf64_Shdr: sh_name (4), sh_type (4), sh_flags (8), sh_addr (8), sh_offset (8), sh_size (8), sh_link (4), sh_info (4), ...
                var header = sectionHeaders + (s * entrySize);
                if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed)
                {
                    continue;
                }

                var offset = checked((int)BitConverter.ToUInt64(elf, header + 24));
                var link = (int)BitConverter.ToUInt32(elf, header + 40);
                var entries = (int)BitConverter.ToUInt32(elf, header + 44);
                var strings = sectionHeaders + (link * entrySize);
                var stringTable = checked((int)BitConverter.ToUInt64(elf, strings + 24));
                var stringTableSize = checked((int)BitConverter.ToUInt64(elf, strings + 32));
                for (var e = 0; e < entries; e++)
                {
                    // Elf64_Verneed: vn_version (2), vn_cnt (2), vn_file (4), vn_aux (4), vn_next (4).
                    int auxCount = BitConverter.ToUInt16(elf, offset + 2);
                    var aux = offset + (int)BitConverter.ToUInt32(elf, offset + 8);
                    for (var a = 0; a < auxCount; a++)
                    {
                        var name = ReadString(elf, stringTable + (int)BitConverter.ToUInt32(elf, aux + 8));
                        yield return new Need { Name = name, AuxOffset = aux, StringTable = stringTable, StringTableSize = stringTableSize };
                        aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                    }

                    offset += (int)BitConverter.ToUInt32(elf, offset + 12);
                }
            }
        }

        private static string ReadString(byte[] elf, int offset)
        {
            var end = Array.IndexOf(elf, (byte)0, offset);
            return Encoding.ASCII.GetString(elf, offset, end - offset);
        }

        /// <summary>Offset of <paramref name="value"/> within the string table (a whole string: NUL before and after), or −1.</summary>
        private static int FindString(byte[] elf, int table, int size, string value)
        {
            var needle = Encoding.ASCII.GetBytes(value);
            for (var i = 1; i + needle.Length < size; i++)
            {
                if (elf[table + i - 1] != 0 || elf[table + i + needle.Length] != 0)
                {
                    continue;
                }

                var match = true;
                for (var j = 0; j < needle.Length && match; j++)
                {
                    match = elf[table + i + j] == needle[j];
                }

                if (match)
                {
                    return i;
                }
            }

            return -1;
        }

        private static void WriteUInt32(byte[] elf, int offset, uint value)
        {
            var bytes = BitConverter.GetBytes(value);
            Array.Copy(bytes, 0, elf, offset, 4);
        }
    }

    /// <summary>Patches copies of libLibTorchSharp.so whose GLIBCXX requirement the target system cannot meet.</summary>
    public static class LibTorchSharpPatch
    {
        /// <summary>The version TorchSharp's native shim asks for and Debian 12's libstdc++ lacks.</summary>
        public const string Newer = "GLIBCXX_3.4.32";

        /// <summary>The version it is rewritten to: the base version, which every libstdc++.so.6 defines.</summary>
        public const string Base = "GLIBCXX_3.4";

        /// <summary>
        /// Patches <paramref name="path"/> in place (as a new file, so a hard link into the package cache is never
        /// written through) when it asks for <see cref="Newer"/>. Returns true when the file was changed.
        /// </summary>
        public static bool PatchFile(string path)
        {
            var elf = File.ReadAllBytes(path);
            if (ElfVersionNeeds.Rewrite(elf, Newer, Base) == 0)
            {
                return false;
            }

            var temporary = path + ".gradsign-patch";
            File.WriteAllBytes(temporary, elf);
            File.Delete(path);
            File.Move(temporary, path);
            return true;
        }

        /// <summary>The libstdc++.so.6 this process uses (from /proc/self/maps), else the first in the usual folders, else null.</summary>
        public static string FindLibStdCxx()
        {
            try
            {
                foreach (var line in File.ReadAllLines("/proc/self/maps"))
                {
                    var at = line.IndexOf('/');
                    if (at >= 0 && Path.GetFileName(line.Substring(at)).StartsWith("libstdc++.so.6", StringComparison.Ordinal))
                    {
                        return line.Substring(at);
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            foreach (var folder in new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib" })
            {
                var candidate = Path.Combine(folder, "libstdc++.so.6");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }

#if !GRADSIGN_ELF_ONLY
    /// <summary>
    /// MSBuild task: patches the given copies of libLibTorchSharp.so. Mode "true": only when this machine's libstdc++
    /// lacks GLIBCXX_3.4.32 (the output then runs here); "always": regardless (building on a newer system for an older
    /// one). Files that do not exist are skipped; an already patched file is left alone.
    /// </summary>
    public sealed class GradSignPatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        /// <summary>Candidate paths of the copied library.</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; }

        /// <summary>"true" or "always".</summary>
        public string Mode { get; set; }

        /// <inheritdoc />
        public override bool Execute()
        {
            byte[] host = null;
            if (!string.Equals(Mode, "always", StringComparison.OrdinalIgnoreCase))
            {
                var libstdcxx = LibTorchSharpPatch.FindLibStdCxx();
                if (libstdcxx == null)
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "GradSign: no libstdc++.so.6 found on this machine; libLibTorchSharp.so left as it is.");
                    return true;
                }

                host = File.ReadAllBytes(libstdcxx);
                if (ElfVersionNeeds.MentionsVersion(host, LibTorchSharpPatch.Newer))
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "GradSign: " + libstdcxx + " has " + LibTorchSharpPatch.Newer + "; libLibTorchSharp.so left as it is.");
                    return true;
                }
            }

            foreach (var item in Files)
            {
                var path = item.GetMetadata("FullPath");
                if (!File.Exists(path))
                {
                    continue;
                }

                if (LibTorchSharpPatch.PatchFile(path))
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "GradSign: " + path + ": " + LibTorchSharpPatch.Newer + " requirement rewritten to " + LibTorchSharpPatch.Base + ".");
                }

                // Anything else this libstdc++ lacks would still stop the load: say so now rather than at run time.
                foreach (var name in ElfVersionNeeds.Required(File.ReadAllBytes(path)))
                {
                    if (host != null && (name.StartsWith("GLIBCXX_", StringComparison.Ordinal) || name.StartsWith("CXXABI_", StringComparison.Ordinal)) && !ElfVersionNeeds.MentionsVersion(host, name))
                    {
                        Log.LogWarning("GradSign: " + path + " also requires " + name + ", which this machine's libstdc++ lacks; LibTorch will not load here.");
                    }
                }
            }

            return !Log.HasLoggedErrors;
        }
    }
#endif
}
