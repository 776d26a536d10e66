package io.logwarden.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Records that failed validation, with where they came from and why; written in one {@code COPY} per exchange (one
 * statement and one commit for the batch, instead of a statement and a commit per record: a mostly invalid file
 * quarantines hundreds of thousands of them). COPY's binary format: the server reads lengths instead of looking for
 * escapes and line ends. PostgreSQL text cannot hold NUL: it is kept as U+FFFD; everything else is kept as read.
 */
@Repository
public class QuarantineRepository {

    private static final String COPY = "copy quarantine (job_id, source, origin, line, reason, raw) from stdin (format binary)";
    /** COPY's binary header: its signature, then no flags and no header extension. */
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** Bytes gathered before they are handed to the connection. */
    private static final int CHUNK = 256 * 1024;

    private final JdbcTemplate jdbc;

    public QuarantineRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Entry(String source, String origin, long line, String reason, String raw) {
    }

    public void saveAll(long jobId, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            copy(connection, jobId, entries);
            return null;
        });
    }

    private static void copy(Connection connection, long jobId, List<Entry> entries) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        try {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK + 65536);
            buf.put(SIGNATURE).putInt(0).putInt(0);
            for (Entry e : entries) {
                byte[] source = bytes(e.source()), origin = bytes(e.origin()), reason = bytes(e.reason()),
                        raw = bytes(e.raw().replace('\0', '\uFFFD'));
                int need = 2 + 6 * 4 + 16 + length(source) + length(origin) + length(reason) + raw.length;
                if (buf.remaining() < need) {
                    flush(copy, buf);
                    if (buf.remaining() < need) {
                        buf = ByteBuffer.allocate(need);   // one record longer than a chunk
                    }
                }
                buf.putShort((short) 6).putInt(8).putLong(jobId);   // six fields; a bigint is 8 bytes
                put(buf, source);
                put(buf, origin);
                buf.putInt(8).putLong(e.line());
                put(buf, reason);
                put(buf, raw);
            }
            if (buf.remaining() < 2) {
                flush(copy, buf);
            }
            buf.putShort((short) -1);   // the trailer
            flush(copy, buf);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void flush(CopyIn copy, ByteBuffer buf) throws SQLException {
        copy.writeToCopy(buf.array(), 0, buf.position());
        buf.clear();
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static void put(ByteBuffer buf, byte[] b) {
        if (b == null) {
            buf.putInt(-1);
        } else {
            buf.putInt(b.length).put(b);
        }
    }

    /** The job's first quarantined records, in input order. */
    public List<Entry> firstForJob(long jobId, int limit) {
        return jdbc.query("select source, origin, line, reason, raw from quarantine where job_id = ? order by id limit ?",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5)),
                jobId, limit);
    }
}
