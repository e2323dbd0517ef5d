package io.jl2tp.l2tp.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads the captured datagrams in src/test/resources (format: "# comment" / "lac|lns HEX"). */
final class Golden {

    record Datagram(String from, byte[] bytes, String info) {
    }

    static List<Datagram> load(String name) throws IOException {
        try (InputStream in = Golden.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            List<Datagram> out = new ArrayList<>();
            String info = "";
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                line = line.strip();
                if (line.startsWith("#")) {
                    info = line.substring(1).strip();
                } else if (!line.isEmpty()) {
                    String[] f = line.split("\\s+");
                    out.add(new Datagram(f[0], HexFormat.of().parseHex(f[1]), info));
                }
            }
            return out;
        }
    }

    static List<Datagram> all() throws IOException {
        List<Datagram> all = new ArrayList<>(load("l2tpns-plain.hex"));
        all.addAll(load("l2tpns-secret.hex"));
        return all;
    }
}
