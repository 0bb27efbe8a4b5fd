# bash completion for sbox. Installed as
# $(PREFIX)/share/bash-completion/completions/sbox. Subcommands and options
# come from sbox itself (sbox help --commands, sbox CMD --list-options), so
# they never go stale; container names from `sbox list -q`, presets from
# `sbox help presets`.
_sbox()
{
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--) return 0 ;;  # the program's own arguments
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$(sbox help --commands 2>/dev/null) --help --version" -- "$cur"))
		return 0
	fi
	case $prev in
	--preset) COMPREPLY=($(compgen -W "$(sbox help presets 2>/dev/null)" -- "$cur")); return 0 ;;
	--net) COMPREPLY=($(compgen -W "none localhost outbound all" -- "$cur")); return 0 ;;
	--format) COMPREPLY=($(compgen -W "text json sbpl" -- "$cur")); return 0 ;;
	--target) COMPREPLY=($(compgen -W "macos linux" -- "$cur")); return 0 ;;
	--read|--write|--exec|--deny|--report|-o|--output|--prepend|-I|--include)
		COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
	--timeout|--name|--env|-D|--define|--disable|--macos) return 0 ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(sbox "$cmd" --list-options 2>/dev/null)" -- "$cur"))
		return 0
	fi
	case $cmd in
	launch|show|rm|export)
		COMPREPLY=($(compgen -W "$(sbox list -q 2>/dev/null)" -- "$cur"))
		[[ $cmd == launch ]] && COMPREPLY+=($(compgen -f -X '!*.@(json|plist)' -- "$cur"))
		;;
	help) COMPREPLY=($(compgen -W "$(sbox help --commands 2>/dev/null) presets templates" -- "$cur")) ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
	return 0
}
complete -o filenames -F _sbox sbox
