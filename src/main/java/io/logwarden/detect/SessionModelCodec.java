package io.logwarden.detect;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * The storage format of a session model: Java serialisation of the fitted model and the configuration it was
 * fitted with, read back through a filter that accepts only the model's own classes (and the JDK's and Smile's
 * that it holds), never arbitrary classes from a database column.
 */
final class SessionModelCodec {

    private SessionModelCodec() {
    }

    static byte[] write(SessionDetector.Model model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        return bytes.toByteArray();
    }

    static SessionDetector.Model read(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(SessionModelCodec::allowed);
            return (SessionDetector.Model) in.readObject();
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new InvalidClassException("not a SessionDetector model: " + e.getMessage());
        }
    }

    static ObjectInputFilter.Status allowed(ObjectInputFilter.FilterInfo info) {
        Class<?> c = info.serialClass();
        if (c == null) {
            return info.depth() > 200 || info.references() > 10_000_000 ? ObjectInputFilter.Status.REJECTED
                    : ObjectInputFilter.Status.UNDECIDED;
        }
        while (c.isArray()) {
            c = c.getComponentType();
        }
        String name = c.getName();
        boolean ok = c.isPrimitive() || name.startsWith("io.logwarden.detect.") || name.startsWith("smile.anomaly.")
                || name.startsWith("java.lang.") || name.startsWith("java.util.") || name.startsWith("java.util.regex.");
        return ok ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    }
}
