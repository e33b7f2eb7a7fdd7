"""ripgrep's file types, for Grep's ``type``: the names ``rg --type-list`` prints.

Each type is a list of glob patterns on the file name, as ripgrep defines
them (a subset of its ~150 built-in types: every common language, data and
configuration format). :func:`type_matcher` turns a name into a predicate;
an unknown name is a ToolError that lists the near ones.

Example::

    matches = type_matcher("py")
    matches("app/main.py"), matches("README.md")      # True, False
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Callable

from pactcoder.agent.tools.errors import ToolError

__all__ = ["FILE_TYPES", "type_matcher"]

FILE_TYPES: dict[str, tuple[str, ...]] = {
    "ada": ("*.adb", "*.ads"),
    "asciidoc": ("*.adoc", "*.asc", "*.asciidoc"),
    "asm": ("*.asm", "*.s", "*.S"),
    "avro": ("*.avdl", "*.avpr", "*.avsc"),
    "awk": ("*.awk",),
    "bat": ("*.bat",),
    "bazel": ("*.bazel", "*.bzl", "*.BUILD", "*.bazelrc", "BUILD", "MODULE.bazel", "WORKSPACE"),
    "c": ("*.[chH]", "*.[chH].in", "*.cats"),
    "cabal": ("*.cabal",),
    "clojure": ("*.clj", "*.cljc", "*.cljs", "*.cljx"),
    "cmake": ("*.cmake", "CMakeLists.txt"),
    "coffeescript": ("*.coffee",),
    "config": ("*.cfg", "*.conf", "*.config", "*.ini"),
    "cpp": ("*.[ChH]", "*.cc", "*.[ch]pp", "*.[ch]xx", "*.hh", "*.inl", "*.C", "*.H"),
    "crystal": ("*.cr", "*.ecr", "Projectfile", "shard.yml"),
    "cs": ("*.cs",),
    "csharp": ("*.cs",),
    "css": ("*.css", "*.scss"),
    "csv": ("*.csv",),
    "cuda": ("*.cu", "*.cuh"),
    "cython": ("*.pyx", "*.pxi", "*.pxd"),
    "d": ("*.d",),
    "dart": ("*.dart",),
    "dhall": ("*.dhall",),
    "diff": ("*.patch", "*.diff"),
    "docker": ("*Dockerfile*",),
    "dockercompose": ("docker-compose.yml", "docker-compose.*.yml", "compose.yaml"),
    "dts": ("*.dts", "*.dtsi"),
    "dvc": ("Dvcfile", "*.dvc"),
    "ebuild": ("*.ebuild", "*.eclass"),
    "edn": ("*.edn",),
    "elisp": ("*.el",),
    "elixir": ("*.ex", "*.eex", "*.exs", "*.heex", "*.leex", "*.livemd"),
    "elm": ("*.elm",),
    "erb": ("*.erb",),
    "erlang": ("*.erl", "*.hrl"),
    "fish": ("*.fish",),
    "fortran": ("*.f", "*.F", "*.f77", "*.F77", "*.pfo", "*.f90", "*.F90", "*.f95", "*.F95"),
    "fsharp": ("*.fs", "*.fsx", "*.fsi"),
    "gn": ("*.gn", "*.gni"),
    "go": ("*.go",),
    "gradle": ("*.gradle", "*.gradle.kts"),
    "graphql": ("*.graphql", "*.graphqls"),
    "groovy": ("*.groovy", "*.gradle"),
    "h": ("*.h", "*.hh", "*.hpp"),
    "haml": ("*.haml",),
    "haskell": ("*.hs", "*.lhs", "*.cpphs", "*.c2hs", "*.hsc"),
    "hcl": ("*.hcl", "*.tf", "*.tfvars", "*.nomad"),
    "hs": ("*.hs", "*.lhs"),
    "html": ("*.htm", "*.html", "*.ejs"),
    "ini": ("*.ini",),
    "ipynb": ("*.ipynb",),
    "java": ("*.java", "*.jsp", "*.jspx", "*.properties"),
    "jinja": ("*.j2", "*.jinja", "*.jinja2"),
    "js": ("*.js", "*.jsx", "*.vue", "*.cjs", "*.mjs"),
    "json": ("*.json", "composer.lock", "*.sarif"),
    "jsonl": ("*.jsonl",),
    "julia": ("*.jl",),
    "jupyter": ("*.ipynb", "*.jpynb"),
    "k": ("*.k",),
    "kotlin": ("*.kt", "*.kts"),
    "less": ("*.less",),
    "license": ("COPYING", "COPYING[.-]*", "COPYRIGHT", "COPYRIGHT[.-]*", "LICENSE",
                "LICENSE[.-]*", "LICENCE", "LICENCE[.-]*", "NOTICE", "UNLICENSE"),
    "lisp": ("*.el", "*.jl", "*.lisp", "*.lsp", "*.sc", "*.scm"),
    "lock": ("*.lock", "package-lock.json"),
    "log": ("*.log",),
    "lua": ("*.lua",),
    "make": ("[Gg][Nn][Uu]makefile", "[Mm]akefile", "[Gg][Nn][Uu]makefile.am", "[Mm]akefile.am",
             "[Gg][Nn][Uu]makefile.in", "[Mm]akefile.in", "*.mk", "*.mak"),
    "markdown": ("*.markdown", "*.md", "*.mdown", "*.mdwn", "*.mkd", "*.mkdn", "*.mdx"),
    "md": ("*.markdown", "*.md", "*.mdown", "*.mdwn", "*.mkd", "*.mkdn", "*.mdx"),
    "meson": ("meson.build", "meson_options.txt", "meson.options"),
    "nim": ("*.nim", "*.nimf", "*.nimble", "*.nims"),
    "nix": ("*.nix",),
    "objc": ("*.h", "*.m"),
    "objcpp": ("*.h", "*.mm"),
    "ocaml": ("*.ml", "*.mli", "*.mll", "*.mly"),
    "org": ("*.org", "*.org_archive"),
    "perl": ("*.perl", "*.pl", "*.PL", "*.plh", "*.plx", "*.pm", "*.t"),
    "php": ("*.php", "*.php3", "*.php4", "*.php5", "*.php7", "*.php8", "*.pht", "*.phtml"),
    "pod": ("*.pod",),
    "postscript": ("*.eps", "*.ps"),
    "powershell": ("*.ps1", "*.psm1", "*.psd1"),
    "proto": ("*.proto",),
    "ps": ("*.cdxml", "*.ps1", "*.ps1xml", "*.psd1", "*.psm1"),
    "puppet": ("*.epp", "*.erb", "*.pp", "*.rb"),
    "purs": ("*.purs",),
    "py": ("*.py", "*.pyi"),
    "python": ("*.py", "*.pyi"),
    "qml": ("*.qml",),
    "r": ("*.R", "*.r", "*.Rmd", "*.Rnw"),
    "racket": ("*.rkt",),
    "rdoc": ("*.rdoc",),
    "readme": ("README*", "*README"),
    "rst": ("*.rst",),
    "ruby": ("*.gemspec", ".irbrc", "Gemfile", "Rakefile", "*.rb", "*.rbw", "*.rake", "config.ru"),
    "rust": ("*.rs",),
    "sass": ("*.sass", "*.scss"),
    "scala": ("*.scala", "*.sbt"),
    "sh": ("*.bash", "*.bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile",
           "*.sh", "*.zsh", ".zshrc", ".zprofile", ".zshenv", "*.ksh", "*.csh"),
    "slim": ("*.skim", "*.slim", "*.slime"),
    "sml": ("*.sml", "*.sig"),
    "solidity": ("*.sol",),
    "sql": ("*.sql", "*.psql"),
    "svelte": ("*.svelte",),
    "svg": ("*.svg",),
    "swift": ("*.swift",),
    "tcl": ("*.tcl",),
    "tex": ("*.tex", "*.ltx", "*.cls", "*.sty", "*.bib", "*.dtx", "*.ins"),
    "texinfo": ("*.texi",),
    "tf": ("*.tf", "*.tf.json", "*.tfvars"),
    "thrift": ("*.thrift",),
    "toml": ("*.toml", "Cargo.lock"),
    "ts": ("*.ts", "*.tsx", "*.cts", "*.mts"),
    "typescript": ("*.ts", "*.tsx", "*.cts", "*.mts"),
    "twig": ("*.twig",),
    "txt": ("*.txt",),
    "typst": ("*.typ",),
    "v": ("*.v", "*.vsh"),
    "vala": ("*.vala",),
    "verilog": ("*.v", "*.vh", "*.sv", "*.svh"),
    "vhdl": ("*.vhd", "*.vhdl"),
    "vim": ("*.vim", ".vimrc", ".gvimrc", "vimrc", "gvimrc", "_vimrc", "_gvimrc"),
    "vue": ("*.vue",),
    "wasm": ("*.wat", "*.wast", "*.wasm"),
    "xml": ("*.xml", "*.xml.dist", "*.dtd", "*.xsl", "*.xslt", "*.xsd", "*.xjb", "*.rng",
            "*.sch", "*.xhtml"),
    "yaml": ("*.yaml", "*.yml"),
    "zig": ("*.zig",),
    "zsh": (".zshenv", "zshenv", ".zlogin", "zlogin", ".zlogout", "zlogout", ".zprofile",
            "zprofile", ".zshrc", "zshrc", "*.zsh"),
}  # fmt: skip


def type_matcher(name: str) -> Callable[[str], bool]:
    """A predicate on file names for the ripgrep type ``name``; ToolError when unknown."""
    patterns = FILE_TYPES.get(name) or FILE_TYPES.get(name.lower())
    if patterns is None:
        near = difflib.get_close_matches(name, FILE_TYPES, n=5, cutoff=0.5)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise ToolError(
            f"'{name}' is not a file type ripgrep knows; {hint}types are ripgrep's names"
            f" ({', '.join(sorted(FILE_TYPES)[:40])}, ...); or filter with glob instead"
        )

    def matches(file_name: str) -> bool:
        base = file_name.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatchcase(base, pattern) for pattern in patterns)

    return matches
