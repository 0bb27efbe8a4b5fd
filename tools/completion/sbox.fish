# fish completion for sbox. Installed as
# $(PREFIX)/share/fish/vendor_completions.d/sbox.fish. Subcommands and
# options come from sbox itself, so they never go stale.
function __sbox_cmd
	set -l words (commandline -opc)
	for w in $words[2..-1]
		switch $w
			case '--'
				return 1
			case '-*'
			case '*'
				echo $w
				return 0
		end
	end
	return 1
end
function __sbox_no_cmd
	not __sbox_cmd >/dev/null
end
function __sbox_options
	set -l c (__sbox_cmd); and sbox $c --list-options 2>/dev/null
end
complete -c sbox -f
complete -c sbox -n __sbox_no_cmd -a '(sbox help --commands 2>/dev/null)'
complete -c sbox -n 'not __sbox_no_cmd; and string match -q -- "-*" (commandline -ct)' -a '(__sbox_options)'
complete -c sbox -n '__fish_seen_subcommand_from launch show rm export' -a '(sbox list -q 2>/dev/null)'
complete -c sbox -n '__fish_seen_subcommand_from launch run compile check create import' -F
complete -c sbox -n '__fish_seen_subcommand_from help' -a 'presets templates'
complete -c sbox -l preset -x -a '(sbox help presets 2>/dev/null)'
complete -c sbox -l net -x -a 'none localhost outbound all'
complete -c sbox -l format -x -a 'text json sbpl'
complete -c sbox -l target -x -a 'macos linux'
complete -c sbox -l read -l write -l exec -l deny -r -F
